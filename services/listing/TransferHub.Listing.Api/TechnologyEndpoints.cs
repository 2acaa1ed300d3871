using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TransferHub.Listing.Contracts;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api;

public sealed record CreateTechnologyRequest(
    string? Title, string? Summary, string? Language, IReadOnlyList<string>? Keywords, int? Trl, string? ConfidentialDetail);

/// <summary>A technology as its owner's organisation sees it (with the confidential detail).</summary>
public sealed record TechnologyView(Guid Id, Guid OrganisationId, string Title, string Summary, string Language, string[] Keywords,
    int? Trl, string Status, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt,
    string? ConfidentialDetail);

/// <summary>A technology as the public sees it: no confidential detail.</summary>
public sealed record PublicTechnologyView(Guid Id, Guid OrganisationId, string Title, string Summary, string Language, string[] Keywords,
    int? Trl, string Status, int Version, DateTimeOffset? PublishedAt);

public sealed record PageOf<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize);

public static class TechnologyEndpoints
{
    private const string Columns = """
        id AS Id, organisation_id AS OrganisationId, title AS Title, summary AS Summary, language AS Language, keywords AS Keywords,
        trl AS Trl, status AS Status, version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt, published_at AS PublishedAt,
        confidential_detail AS ConfidentialDetail
        """;

    public static WebApplication MapTechnologyEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/listings/technologies").WithTags("Technologies");
        group.MapPost("/", CreateAsync).RequireAuthorization(Roles.InstitutionMember)
            .WithSummary("Create a technology as a draft of the caller's organisation. Honours Idempotency-Key.");
        group.MapPost("/{id:guid}/publish", PublishAsync).RequireAuthorization(Roles.InstitutionMember)
            .WithSummary("Publish a draft (members of the owning organisation). Honours If-Match.");
        group.MapGet("/mine", MineAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("The technologies of the caller's organisation, newest first.");
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous()
            .WithSummary("A published technology (anyone), or any state for members of the owning organisation.");
        return app;
    }

    private static async Task<Results<Created<TechnologyView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateTechnologyRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        var validation = Validate(request)
            .Check(idempotencyKey is null || (idempotencyKey.Length is > 0 and <= 100 && Correlation.IsValid(idempotencyKey)),
                "Idempotency-Key", "At most 100 letters, digits, '-', '_' or '.'.");
        if (user.OrganisationId() is null)
        {
            validation.Add("organisation", "The caller belongs to no organisation.");
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var userId = user.UserId()!.Value;
        var organisationId = user.OrganisationId()!.Value;
        var id = Guid.CreateVersion7();
        var keywords = (request.Keywords ?? []).Select(k => k.Trim()).Where(k => k.Length > 0).Distinct().ToArray();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (idempotencyKey is not null)
        {
            var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, JsonDefaults.Web));
            var first = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO idempotency_keys (user_id, key, request_hash, resource_id) VALUES (@userId, @idempotencyKey, @hash, @id)
                ON CONFLICT DO NOTHING
                """, new { userId, idempotencyKey, hash, id }, transaction, cancellationToken: ct));
            if (first == 0)
            {
                var earlier = await connection.QuerySingleAsync<(byte[] Hash, Guid ResourceId)>(new CommandDefinition(
                    "SELECT request_hash, resource_id FROM idempotency_keys WHERE user_id = @userId AND key = @idempotencyKey",
                    new { userId, idempotencyKey }, transaction, cancellationToken: ct));
                if (!earlier.Hash.AsSpan().SequenceEqual(hash))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key reused with another body.",
                        detail: "This key was already used for a different request; use a new key for a new technology.");
                }
                var existing = await LoadAsync(connection, earlier.ResourceId, transaction, ct);
                SetETag(http, existing!.Version);
                return TypedResults.Created($"/api/listings/technologies/{existing.Id}", existing);
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO technologies (id, organisation_id, created_by, title, summary, language, keywords, trl, confidential_detail, status, version)
            VALUES (@id, @organisationId, @userId, @Title, @Summary, @Language, @keywords, @Trl, @ConfidentialDetail, 'draft', 1)
            """, new { id, organisationId, userId, request.Title, request.Summary, request.Language, keywords, request.Trl, request.ConfidentialDetail },
            transaction, cancellationToken: ct));
        var created = await LoadAsync(connection, id, transaction, ct);
        await transaction.CommitAsync(ct);
        SetETag(http, created!.Version);
        return TypedResults.Created($"/api/listings/technologies/{id}", created);
    }

    private static async Task<Results<Ok<TechnologyView>, ProblemHttpResult>> PublishAsync(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var technology = await LoadAsync(connection, id, transaction, ct, forUpdate: true);
        if (technology is null || (technology.Status != "published" && technology.OrganisationId != user.OrganisationId()))
        {
            return NotFound(id);
        }
        if (technology.OrganisationId != user.OrganisationId())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your organisation's technology.",
                detail: "Only members of the owning organisation may publish it.");
        }
        if (ifMatch is not null && ifMatch != ETag(technology.Version))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The technology has changed.",
                detail: $"If-Match {ifMatch} is stale; the current ETag is {ETag(technology.Version)}. Reload and retry.");
        }
        if (technology.Status != "draft")
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The technology is {technology.Status}.",
                detail: "Only a draft can be published.");
        }
        var now = DateTimeOffset.UtcNow;
        var version = technology.Version + 1;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE technologies SET status = 'published', version = @version, published_at = @now, updated_at = @now WHERE id = @id",
            new { id, version, now }, transaction, cancellationToken: ct));
        await Outbox.AddAsync(transaction, new TechnologyPublished(id, technology.OrganisationId, version, technology.Title,
            technology.Summary, technology.Language, technology.Keywords, technology.Trl, now), ct);
        var published = await LoadAsync(connection, id, transaction, ct);
        await transaction.CommitAsync(ct);
        SetETag(http, version);
        return TypedResults.Ok(published!);
    }

    private static async Task<Results<Ok<PageOf<TechnologyView>>, ValidationProblem>> MineAsync(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct, int page = 1, int pageSize = 20)
    {
        var validation = new Validation()
            .Check(page >= 1, "page", "Pages start at 1.")
            .Check(pageSize is >= 1 and <= 100, "pageSize", "Between 1 and 100.")
            .Check(user.OrganisationId() is not null, "organisation", "The caller belongs to no organisation.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var organisationId = user.OrganisationId();
        var items = (await connection.QueryAsync<TechnologyView>(new CommandDefinition(
            $"SELECT {Columns} FROM technologies WHERE organisation_id = @organisationId ORDER BY created_at DESC, id LIMIT @pageSize OFFSET @offset",
            new { organisationId, pageSize, offset = (page - 1) * pageSize }, cancellationToken: ct))).AsList();
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM technologies WHERE organisation_id = @organisationId", new { organisationId }, cancellationToken: ct));
        return TypedResults.Ok(new PageOf<TechnologyView>(items, total, page, pageSize));
    }

    private static async Task<Results<Ok<TechnologyView>, Ok<PublicTechnologyView>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var technology = await LoadAsync(connection, id, null, ct);
        if (technology is null)
        {
            return NotFound(id);
        }
        SetETag(http, technology.Version);
        if (technology.OrganisationId == user.OrganisationId())
        {
            return TypedResults.Ok(technology);
        }
        if (technology.Status != "published")
        {
            return NotFound(id);
        }
        return TypedResults.Ok(new PublicTechnologyView(technology.Id, technology.OrganisationId, technology.Title, technology.Summary,
            technology.Language, technology.Keywords, technology.Trl, technology.Status, technology.Version, technology.PublishedAt));
    }

    private static Validation Validate(CreateTechnologyRequest request) => new Validation()
        .Require("title", request.Title, 300)
        .Require("summary", request.Summary, 10_000)
        .Require("language", request.Language, 3)
        .Check(request.Language is null || ContentLanguages.All.Contains(request.Language), "language",
            $"Unknown language '{request.Language}'; use one of {string.Join(", ", ContentLanguages.All)}.")
        .Check(request.Trl is null or (>= 1 and <= 9), "trl", "TRL is 1 to 9.")
        .Check(request.Keywords is null || request.Keywords.Count <= 30, "keywords", "At most 30 keywords.")
        .Check(request.Keywords is null || request.Keywords.All(k => k is { Length: > 0 and <= 100 }), "keywords", "Each keyword is 1 to 100 characters.")
        .Optional("confidentialDetail", request.ConfidentialDetail, 50_000);

    private static Task<TechnologyView?> LoadAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken ct,
        bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<TechnologyView>(new CommandDefinition(
            $"SELECT {Columns} FROM technologies WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}", new { id }, transaction, cancellationToken: ct));

    private static string ETag(int version) => $"\"{version}\"";

    private static void SetETag(HttpContext http, int version) => http.Response.Headers.ETag = ETag(version);

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: 404, title: "No such technology.", detail: $"Technology {id} does not exist or is not visible to you.");
}
