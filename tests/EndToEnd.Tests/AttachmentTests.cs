using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>Attachments through the gateway: type by content, size limit, SHA-256 store, and who may read what.</summary>
[Collection(StackCollection.Name)]
public sealed class AttachmentTests(StackFixture fixture)
{
    private const string Technologies = "/api/listings/technologies";

    private static readonly byte[] pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    private static readonly byte[] png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89,
    ];

    [Fact]
    public async Task Files_are_checked_by_content_stored_by_hash_and_served_only_to_those_allowed()
    {
        using var owner = await fixture.As("institution-member", 0);
        using var other = await fixture.As("institution-member", 1);
        using var company = await fixture.As("company-member");
        using var anonymous = fixture.Anonymous();
        var id = await fixture.PublishTechnologyAsync(owner, "Attachments " + Guid.NewGuid().ToString("N")[..6]);
        var unique = pdf.Concat(Guid.NewGuid().ToByteArray()).ToArray();

        // accepted: a PDF (public) and a PNG (confidential); the bytes are stored once, under their SHA-256
        var brochure = await UploadAsync(owner, id, unique, "brochure.pdf", "application/pdf", "public");
        Assert.Equal(HttpStatusCode.Created, brochure.Status);
        var sha = Convert.ToHexStringLower(SHA256.HashData(unique));
        Assert.Equal(sha, brochure.Body.GetProperty("sha256").GetString());
        Assert.True(File.Exists(Path.Combine(fixture.Stack.AttachmentRoot, sha[..2], sha[2..4], sha)));
        var drawing = await UploadAsync(owner, id, png, "process.png", "image/png", "confidential");
        Assert.Equal(HttpStatusCode.Created, drawing.Status);

        // refused, each a 400 naming 'file' and nothing stored: not a PDF or image, mislabelled, renamed, too large, empty
        foreach (var (bytes, name, type) in new (byte[], string, string)[]
                 {
                     ("MZ\u0090\0 not a document"u8.ToArray(), "setup.pdf", "application/pdf"),
                     (png, "drawing.pdf", "application/pdf"),
                     (png, "drawing.png", "application/pdf"),
                     (pdf, "report.exe", "application/octet-stream"),
                     (pdf.Concat(new byte[Stack.AttachmentMaxBytes]).ToArray(), "huge.pdf", "application/pdf"),
                     ([], "empty.pdf", "application/pdf"),
                 })
        {
            var refused = await UploadAsync(owner, id, bytes, name, type, "public");
            Assert.True(refused.Status == HttpStatusCode.BadRequest, $"{name} ({type}) answered {(int)refused.Status}");
            Assert.True(refused.Body.GetProperty("errors").TryGetProperty("file", out _), refused.Body.ToString());
        }
        var badVisibility = await UploadAsync(owner, id, pdf, "a.pdf", "application/pdf", "secret");
        Assert.Equal(HttpStatusCode.BadRequest, badVisibility.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(other, id, pdf, "x.pdf", "application/pdf", "public")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(anonymous, id, pdf, "x.pdf", "application/pdf", "public")).Status);
        Assert.Equal(2, (await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/{id}/attachments")).GetArrayLength());

        // reading: the public file for anyone, the confidential one for the owner and granted organisations only
        var brochureUrl = $"{Technologies}/{id}/attachments/{brochure.Body.GetProperty("id").GetGuid()}";
        var drawingUrl = $"{Technologies}/{id}/attachments/{drawing.Body.GetProperty("id").GetGuid()}";
        using (var download = await anonymous.GetAsync(brochureUrl))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(unique, await download.Content.ReadAsByteArrayAsync());
            Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        }
        Assert.Equal(1, (await anonymous.GetFromJsonAsync<JsonElement>($"{Technologies}/{id}/attachments")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(drawingUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await company.GetAsync(drawingUrl)).StatusCode);
        Assert.Equal(png, await owner.GetByteArrayAsync(drawingUrl));
        var companyOrganisation = (await company.GetFromJsonAsync<JsonElement>("/api/identity/me"))
            .GetProperty("memberships")[0].GetProperty("organisationId").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(owner, HttpMethod.Post, $"{Technologies}/{id}/access-grants",
            new JsonObject { ["organisationId"] = companyOrganisation })).Status);
        Assert.Equal(png, await company.GetByteArrayAsync(drawingUrl));

        // removal by the owner only
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync(brochureUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(brochureUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(brochureUrl)).StatusCode);
    }

    [Fact]
    public async Task A_drafts_attachments_are_invisible_to_everyone_but_its_organisation()
    {
        using var owner = await fixture.As("institution-member", 0);
        using var other = await fixture.As("institution-member", 1);
        using var created = await owner.PostAsJsonAsync(Technologies, new { title = "Draft with files", summary = "s", language = "en" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var uploaded = await UploadAsync(owner, id, pdf, "draft.pdf", "application/pdf", "public");
        Assert.Equal(HttpStatusCode.Created, uploaded.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{Technologies}/{id}/attachments")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await other.GetAsync($"{Technologies}/{id}/attachments/{uploaded.Body.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(other, id, pdf, "x.pdf", "application/pdf", "public")).Status);
    }

    private static async Task<Answer> UploadAsync(HttpClient client, Guid id, byte[] bytes, string name, string type, string visibility)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        form.Add(file, "file", name);
        form.Add(new StringContent(visibility), "visibility");
        using var response = await client.PostAsync($"{Technologies}/{id}/attachments", form);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), null);
    }
}
