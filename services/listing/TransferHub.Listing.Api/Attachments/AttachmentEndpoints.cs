using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;
using TransferHub.Listing.Api.Listings;
using TransferHub.Files;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Attachments;

public sealed record AttachmentView(Guid Id, string FileName, string? Title, string ContentType, long SizeBytes, string Sha256, string Visibility,
    DateTimeOffset CreatedAt);

/// <summary>
/// Attachments of a listing: PDF and images, checked by content and size, stored by SHA-256 outside the database.
/// Public ones are readable by whoever may read the listing; confidential ones only by the owner's organisation and
/// (for technologies) organisations it granted access to the confidential detail.
/// </summary>
internal static class AttachmentEndpoints
{
    private const string Columns = """
        id AS Id, file_name AS FileName, title AS Title, content_type AS ContentType, size_bytes AS SizeBytes, sha256 AS Sha256,
        visibility AS Visibility, created_at AS CreatedAt
        """;

    private static readonly string[] visibilities = ["public", "confidential"];

    /// <param name="mayReadConfidential">Whether a non-owner may read the listing's confidential attachments.</param>
    public static void Map<TView>(RouteGroupBuilder group, IListingKind<TView> kind, string publisherPolicy,
        Func<NpgsqlConnection, Guid, ClaimsPrincipal, CancellationToken, Task<bool>> mayReadConfidential) where TView : class, IListing
    {
        group.MapPost("/{id:guid}/attachments", (Guid id, IFormFile? file, [FromForm] string? visibility, [FromForm] string? title,
                ClaimsPrincipal user, NpgsqlDataSource dataSource, IFileStore store, IOptions<AttachmentOptions> options, CancellationToken ct) =>
                UploadAsync(kind, id, file, visibility, title, user, dataSource, store, options.Value, ct))
            .RequireAuthorization(publisherPolicy)
            .DisableAntiforgery()
            .WithSummary("Attach a PDF, PNG, JPEG or WebP (multipart field 'file'; 'visibility' public or confidential; 'title'). Owner only.");
        group.MapGet("/{id:guid}/attachments", (Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct) =>
                ListAsync(kind, id, user, dataSource, mayReadConfidential, ct))
            .AllowAnonymous()
            .WithSummary("The attachments the caller may read.");
        group.MapGet("/{id:guid}/attachments/{attachmentId:guid}", (Guid id, Guid attachmentId, ClaimsPrincipal user,
                NpgsqlDataSource dataSource, IFileStore store, HttpContext http, CancellationToken ct) =>
                DownloadAsync(kind, id, attachmentId, user, dataSource, store, mayReadConfidential, http, ct))
            .AllowAnonymous()
            .WithSummary("Download one attachment (only when the caller may read it).");
        group.MapDelete("/{id:guid}/attachments/{attachmentId:guid}", (Guid id, Guid attachmentId, ClaimsPrincipal user,
                NpgsqlDataSource dataSource, CancellationToken ct) => DeleteAsync(kind, id, attachmentId, user, dataSource, ct))
            .RequireAuthorization(publisherPolicy)
            .WithSummary("Remove an attachment (owner only).");
    }

    private static async Task<Results<Created<AttachmentView>, ValidationProblem, ProblemHttpResult>> UploadAsync<TView>(
        IListingKind<TView> kind, Guid id, IFormFile? file, string? visibility, string? title, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, IFileStore store, AttachmentOptions options, CancellationToken ct) where TView : class, IListing
    {
        visibility ??= "public";
        var validation = new Validation()
            .Check(visibilities.Contains(visibility), "visibility", "'visibility' is public or confidential.")
            .Optional("title", title, 300);
        var detected = await Uploads.CheckAsync(file, options.MaxBytes, validation, ct);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (listing, problem) = await Lifecycle.LoadOwnedAsync(kind, connection, id, user, transaction, "attach files to", ct);
        if (listing is null)
        {
            return problem!;
        }
        if (listing.Status is ListingStatus.Withdrawn or ListingStatus.Expired or ListingStatus.Transferred or ListingStatus.Fulfilled)
        {
            return HttpConventions.Conflict($"The {kind.Noun} is {listing.Status}.", "Files can no longer be attached to it.");
        }
        var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM attachments WHERE listing_kind = @noun AND listing_id = @id", new { noun = kind.Noun, id }, transaction,
            cancellationToken: ct));
        if (count >= options.MaxPerListing)
        {
            return HttpConventions.Conflict("Too many attachments.", $"A {kind.Noun} has at most {options.MaxPerListing}; remove one first.");
        }
        string sha256;
        await using (var content = file!.OpenReadStream())
        {
            sha256 = await store.PutAsync(content, ct);
        }
        var view = new AttachmentView(Guid.CreateVersion7(), Uploads.SafeName(file!.FileName), ListingValidation.Trim(title), detected!, file.Length, sha256,
            visibility, DateTimeOffset.UtcNow);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO attachments (id, listing_kind, listing_id, sha256, content_type, size_bytes, file_name, title, visibility, uploaded_by, created_at)
            VALUES (@Id, @noun, @listingId, @Sha256, @ContentType, @SizeBytes, @FileName, @Title, @Visibility, @userId, @CreatedAt)
            """, new { view.Id, noun = kind.Noun, listingId = id, view.Sha256, view.ContentType, view.SizeBytes, view.FileName, view.Title,
                view.Visibility, userId = user.UserId(), view.CreatedAt }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"{kind.BasePath}/{id}/attachments/{view.Id}", view);
    }

    private static async Task<Results<Ok<IReadOnlyList<AttachmentView>>, ProblemHttpResult>> ListAsync<TView>(IListingKind<TView> kind, Guid id,
        ClaimsPrincipal user, NpgsqlDataSource dataSource, Func<NpgsqlConnection, Guid, ClaimsPrincipal, CancellationToken, Task<bool>> mayReadConfidential,
        CancellationToken ct) where TView : class, IListing
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var listing = await kind.LoadAsync(connection, id, null, ct);
        if (listing is null || !Lifecycle.CanSee(kind, listing, user))
        {
            return HttpConventions.NotFound(kind.Noun, id);
        }
        var confidential = ListingHttp.IsOwner(listing.OrganisationId, user) || await mayReadConfidential(connection, id, user, ct);
        var items = await connection.QueryAsync<AttachmentView>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM attachments WHERE listing_kind = @noun AND listing_id = @id AND (@confidential OR visibility = 'public')
            ORDER BY created_at, id
            """, new { noun = kind.Noun, id, confidential }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<AttachmentView>>(items.AsList());
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync<TView>(IListingKind<TView> kind, Guid id,
        Guid attachmentId, ClaimsPrincipal user, NpgsqlDataSource dataSource, IFileStore store,
        Func<NpgsqlConnection, Guid, ClaimsPrincipal, CancellationToken, Task<bool>> mayReadConfidential, HttpContext http, CancellationToken ct)
        where TView : class, IListing
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var listing = await kind.LoadAsync(connection, id, null, ct);
        var attachment = listing is null || !Lifecycle.CanSee(kind, listing, user) ? null : await connection.QuerySingleOrDefaultAsync<AttachmentView>(
            new CommandDefinition($"SELECT {Columns} FROM attachments WHERE id = @attachmentId AND listing_kind = @noun AND listing_id = @id",
                new { attachmentId, noun = kind.Noun, id }, cancellationToken: ct));
        if (attachment is null || (attachment.Visibility == "confidential" && !ListingHttp.IsOwner(listing!.OrganisationId, user) &&
                !await mayReadConfidential(connection, id, user, ct)))
        {
            return HttpConventions.NotFound("attachment", attachmentId);
        }
        var stream = store.Open(attachment.Sha256);
        if (stream is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The file is not in the attachment store.",
                detail: $"Attachment {attachmentId} ({attachment.Sha256}) is recorded but its file is missing; restore the store from backup.");
        }
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = attachment.Visibility == "public" ? "public, max-age=3600" : "private, no-store";
        return TypedResults.Stream(stream, attachment.ContentType, attachment.FileName, entityTag: new EntityTagHeaderValue($"\"{attachment.Sha256}\""));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync<TView>(IListingKind<TView> kind, Guid id, Guid attachmentId,
        ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct) where TView : class, IListing
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if ((await Lifecycle.LoadOwnedAsync(kind, connection, id, user, null, "remove files from", ct)).Problem is { } problem)
        {
            return problem;
        }
        // the file stays in the store: another listing may hold the same bytes, and history may refer to it
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM attachments WHERE id = @attachmentId AND listing_kind = @noun AND listing_id = @id",
            new { attachmentId, noun = kind.Noun, id }, cancellationToken: ct));
        return deleted == 0 ? HttpConventions.NotFound("attachment", attachmentId) : TypedResults.NoContent();
    }
}
