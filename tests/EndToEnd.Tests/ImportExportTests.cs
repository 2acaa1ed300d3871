using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>Bulk import of technologies from CSV and XLSX (all rows or none, errors by row and column) and export.</summary>
[Collection(StackCollection.Name)]
public sealed class ImportExportTests(StackFixture fixture)
{
    private const string Technologies = "/api/listings/technologies";
    private static readonly TimeSpan done = TimeSpan.FromSeconds(60);

    private const string Header =
        "title,summary,language,keywords,fields,trl,stage,transferModes,pricingMode,price,currency,targetCountries,owners,ipType,ipNumber,ipOffice,ipStatus,contactName,contactEmail,expiresOn,confidentialDetail";

    [Fact]
    public async Task A_csv_file_is_imported_whole_or_not_at_all_with_errors_by_row_and_column()
    {
        using var owner = await fixture.As("institution-member", 1);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var before = await CountMineAsync(owner);

        var bad = new StringBuilder(Header).Append('\n')
            .Append($"Good row {tag},A fine summary,en,a;b,green-energy,6,pilot,assignment,negotiated,,,LA;TH,KIB=100,invention-patent,ZL1,CNIPA,granted,Li,li@kib.test,,\n")
            .Append($"Bad TRL {tag},Summary,en,,green-energy,12,pilot,assignment,negotiated,,,LA,,,,,,,,,\n")
            .Append($"Bad shares {tag},Summary,zh,,new-materials,5,lab,assignment,listed,abc,CNY,ZZ,A=60;B=30,,,,,,,2020-01-01,\n")
            .ToString();
        var failed = await ImportAndWaitAsync(owner, Encoding.UTF8.GetBytes(bad), "bad.csv", "text/csv");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var errors = failed.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToHashSet();
        Assert.Contains((3, "trl"), errors);
        Assert.Contains((4, "stage"), errors);
        Assert.Contains((4, "price"), errors);
        Assert.Contains((4, "owners"), errors);
        Assert.Contains((4, "targetCountries"), errors);
        Assert.Contains((4, "expiresOn"), errors);
        Assert.DoesNotContain(errors, e => e.Item1 == 2);
        Assert.Equal(before, await CountMineAsync(owner));

        var good = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < 25; i++)
        {
            good.Append($"\"Imported {tag} #{i}, with a comma\",\"Summary with \"\"quotes\"\"\",en,solar;pump,green-energy,{1 + (i % 9)},pilot,non-exclusive-licence,listed,{1000 + i}.50,USD,LA,\"KIB=70;Team=30\",utility-model,UM{i},CNIPA,pending,Li,li@kib.test,,secret {i}\n");
        }
        var completed = await ImportAndWaitAsync(owner, Encoding.UTF8.GetBytes(good.ToString()), "good.csv", "text/csv");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(25, completed.GetProperty("createdCount").GetInt32());
        Assert.Equal(before + 25, await CountMineAsync(owner));
        var mine = (await owner.GetFromJsonAsync<JsonElement>($"{Technologies}/mine?pageSize=100&status=draft")).GetProperty("items")
            .EnumerateArray().ToList();
        var seventh = mine.Single(t => t.GetProperty("title").GetString() == $"Imported {tag} #7, with a comma");
        Assert.Equal("Summary with \"quotes\"", seventh.GetProperty("summary").GetString());
        Assert.Equal(1007.50m, seventh.GetProperty("price").GetDecimal());
        Assert.Equal(70m, seventh.GetProperty("owners")[0].GetProperty("share").GetDecimal());
        Assert.Equal("secret 7", seventh.GetProperty("confidentialDetail").GetString());

        // someone else's job is not found; not a spreadsheet is a 400
        using var other = await fixture.As("institution-member", 0);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{Technologies}/imports/{completed.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(owner, "%PDF-1.4"u8.ToArray(), "list.pdf", "application/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(owner, "not a zip"u8.ToArray(), "list.xlsx", "application/octet-stream")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(owner, [0xFF, 0xFE, 0x00, 0x41], "list.csv", "text/csv")).StatusCode);
        using var anonymous = fixture.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(anonymous, Encoding.UTF8.GetBytes(good.ToString()), "good.csv", "text/csv")).StatusCode);
    }

    [Fact]
    public async Task An_xlsx_workbook_is_imported_and_the_export_reads_back_in_the_same_columns()
    {
        using var owner = await fixture.As("institution-member", 1);
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Sheet1");
        string[] columns = ["title", "summary", "language", "fields", "trl", "transferModes", "price", "currency", "pricingMode", "expiresOn"];
        for (var c = 0; c < columns.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = columns[c];
        }
        for (var r = 0; r < 12; r++)
        {
            sheet.Cell(r + 2, 1).Value = $"เทคโนโลยี {tag} {r}";
            sheet.Cell(r + 2, 2).Value = "ระบบสูบน้ำพลังงานแสงอาทิตย์";
            sheet.Cell(r + 2, 3).Value = "th";
            sheet.Cell(r + 2, 4).Value = "green-energy; water";
            sheet.Cell(r + 2, 5).Value = 7; // a number cell
            sheet.Cell(r + 2, 6).Value = "technical-service";
            sheet.Cell(r + 2, 7).Value = 250000.25;
            sheet.Cell(r + 2, 8).Value = "THB";
            sheet.Cell(r + 2, 9).Value = "listed";
            sheet.Cell(r + 2, 10).Value = DateTime.UtcNow.Date.AddYears(2); // a date cell
        }
        using var buffer = new MemoryStream();
        workbook.SaveAs(buffer);
        var completed = await ImportAndWaitAsync(owner, buffer.ToArray(), "techs.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        Assert.True(completed.GetProperty("status").GetString() == "completed", completed.ToString());
        Assert.Equal(12, completed.GetProperty("createdCount").GetInt32());

        using var xlsx = await owner.GetAsync($"{Technologies}/export?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var exported = new XLWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()));
        var rows = exported.Worksheet(1).RowsUsed().Select(r => r.Cell(1).GetString()).ToList();
        Assert.Equal("title", rows[0]);
        Assert.Contains($"เทคโนโลยี {tag} 11", rows);
        var csv = await owner.GetStringAsync($"{Technologies}/export?format=csv");
        Assert.StartsWith("\uFEFFtitle,summary,language", csv);
        Assert.Contains($"เทคโนโลยี {tag} 3,", csv);
        Assert.Contains("250000.25,THB", csv);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.GetAsync($"{Technologies}/export?format=pdf")).StatusCode);
    }

    private static async Task<long> CountMineAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>($"{Technologies}/mine?pageSize=1")).GetProperty("total").GetInt64();

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string name, string type)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        form.Add(file, "file", name);
        return await client.PostAsync($"{Technologies}/imports", form);
    }

    private static async Task<JsonElement> ImportAndWaitAsync(HttpClient client, byte[] bytes, string name, string type)
    {
        using var accepted = await UploadAsync(client, bytes, name, type);
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        var location = accepted.Headers.Location!.ToString();
        JsonElement job = default;
        await Eventually.TrueAsync(async () =>
        {
            job = await client.GetFromJsonAsync<JsonElement>(location);
            return job.GetProperty("status").GetString() is "completed" or "failed";
        }, done, $"the import job {location} finishes");
        return job;
    }
}
