using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;
using TransferHub.Files;
using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api.Submissions;

/// <summary>
/// The contract texts of a submission: uploaded by the registrant while the case is with it (draft, or supplements asked),
/// typed by their content, stored once by SHA-256 outside the database; read by the registrant, the station and admins.
/// </summary>
public static class DocumentEndpoints
{
    private const int MaxDocuments = 20;

    public static WebApplication MapDocumentEndpoints(this WebApplication app)
    {
        var group = app.MapGroup(SubmissionEndpoints.Base + "/{id:guid}/documents").WithTags("Submissions");
        group.MapPost("/", UploadAsync).RequireAuthorization(RegistrationPolicies.Registrant).DisableAntiforgery()
            .WithSummary("Upload a contract text (multipart: file, kind = contract | chinese-text | annex, language). PDF or image, judged by content.");
        group.MapGet("/{documentId:guid}", DownloadAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("A contract text: for the registrant organisation, the officers of the station, and platform admins.");
        group.MapDelete("/{documentId:guid}", DeleteAsync).RequireAuthorization(RegistrationPolicies.Registrant)
            .WithSummary("Remove a contract text while the submission is a draft or being supplemented.");
        return app;
    }

    private static async Task<Results<Created<Document>, ValidationProblem, ProblemHttpResult>> UploadAsync(Guid id, IFormFile? file,
        [Microsoft.AspNetCore.Mvc.FromForm] string? kind, [Microsoft.AspNetCore.Mvc.FromForm] string? language, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, IFileStore store, IOptions<RegistrationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation()
            .Check(kind is not null && SubmissionValidation.DocumentKinds.Contains(kind), "kind", $"One of {string.Join(", ", SubmissionValidation.DocumentKinds)}.")
            .Check(language is not null && ContentLanguages.All.Contains(language), "language", $"The text's language: one of {string.Join(", ", ContentLanguages.All)}.");
        var detected = await Uploads.CheckAsync(file, options.Value.DocumentMaxBytes, v, ct);
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (row, problem) = await SubmissionEndpoints.LoadEditableAsync(transaction, id, user, null, ct);
        if (row is null)
        {
            return problem!;
        }
        if (row.Content.Documents.Count >= MaxDocuments)
        {
            return HttpConventions.Conflict("Too many documents.", $"A submission holds at most {MaxDocuments}; remove one first.");
        }
        string sha256;
        await using (var content = file!.OpenReadStream())
        {
            sha256 = await store.PutAsync(content, ct);
        }
        var document = new Document(Guid.CreateVersion7(), kind!, language!, Uploads.SafeName(file.FileName), detected!, file.Length, sha256, clock.GetUtcNow());
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE submissions SET documents = documents || CAST(@document AS jsonb), version = version + 1, updated_at = @at WHERE id = @id",
            new { id, document = JsonSerializer.Serialize(new[] { document }, JsonDefaults.Web), at = document.UploadedAt }, transaction, cancellationToken: ct));
        await AuditChain.AppendAsync(transaction, id, "document-uploaded", user.UserId(), document.UploadedAt,
            new { document.Id, document.Kind, document.Language, document.FileName, document.Sha256 }, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"{SubmissionEndpoints.Base}/{id}/documents/{document.Id}", document);
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(Guid id, Guid documentId, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, IFileStore store, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await SubmissionStore.LoadAsync(connection, id, null, ct);
        var document = row is null || !await SubmissionEndpoints.MaySeeAsync(connection, row, user, ct)
            ? null
            : row.Content.Documents.FirstOrDefault(d => d.Id == documentId);
        if (document is null)
        {
            return HttpConventions.NotFound("document", documentId);
        }
        if (store.Open(document.Sha256) is not { } stream)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The file is not in the document store.",
                detail: $"Document {documentId} ({document.Sha256}) is recorded but its file is missing; restore the store from backup.");
        }
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Stream(stream, document.ContentType, document.FileName, entityTag: new EntityTagHeaderValue($"\"{document.Sha256}\""));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, Guid documentId, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (row, problem) = await SubmissionEndpoints.LoadEditableAsync(transaction, id, user, null, ct);
        if (row is null)
        {
            return problem!;
        }
        if (row.Content.Documents.All(d => d.Id != documentId))
        {
            return HttpConventions.NotFound("document", documentId);
        }
        // the file stays in the store: history refers to it, and another submission may hold the same bytes
        var kept = row.Content.Documents.Where(d => d.Id != documentId).ToList();
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE submissions SET documents = CAST(@kept AS jsonb), version = version + 1, updated_at = @now WHERE id = @id",
            new { id, kept = JsonSerializer.Serialize(kept, JsonDefaults.Web), now }, transaction, cancellationToken: ct));
        await AuditChain.AppendAsync(transaction, id, "document-removed", user.UserId(), now, new { documentId }, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
