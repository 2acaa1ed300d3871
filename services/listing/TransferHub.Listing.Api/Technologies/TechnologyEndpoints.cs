using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Technologies;

public sealed record ReturnRequest(string? Reasons);

public sealed record WithdrawRequest(string? Reason);

public sealed record AccessGrantRequest(Guid? OrganisationId);

public sealed record AccessGrantView(Guid OrganisationId, Guid? GrantedBy, string Source, DateTimeOffset GrantedAt);

/// <summary>Technologies: create and edit as drafts, moderate, publish, negotiate, transfer or withdraw, with history.</summary>
public static class TechnologyEndpoints
{
    private const string Base = "/api/listings/technologies";

    public static WebApplication MapTechnologyEndpoints(this WebApplication app)
    {
        var group = app.MapGroup(Base).WithTags("Technologies");
        group.MapGet("/", PublicListAsync).AllowAnonymous()
            .WithSummary("Published technologies (and those under negotiation or transferred), newest first, with filters.");
        group.MapPost("/", CreateAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Create a technology as a draft of the caller's organisation. Honours Idempotency-Key.");
        group.MapGet("/mine", MineAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("The technologies of the caller's organisation in any state, newest first.");
        group.MapGet("/moderation", ModerationQueueAsync).RequireAuthorization(ListingPolicies.Moderator)
            .WithSummary("Submitted technologies waiting for a moderator, oldest first.");
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous()
            .WithSummary("A public technology (anyone); any state for its organisation and moderators. Confidential detail only for " +
                "the owner's organisation and organisations it granted access to.");
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Replace the technology's content (owner's organisation). Requires If-Match with the current ETag.");
        group.MapGet("/{id:guid}/history", HistoryAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("Every version: who did what, when (owner's organisation and moderators).");

        Transition(group, "submit", "Submit a draft or returned technology for moderation (owner's organisation).",
            ListingPolicies.Publisher, Who.Owner, TechnologyStatus.Submitted, TechnologyStatus.Draft, TechnologyStatus.Returned);
        Transition(group, "approve", "Approve a submitted technology: it is published (moderators).",
            ListingPolicies.Moderator, Who.Moderator, TechnologyStatus.Published, TechnologyStatus.Submitted);
        group.MapPost("/{id:guid}/return", (Guid id, ReturnRequest? body, [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal user,
                NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
                TransitionAsync(id, ifMatch, body?.Reasons, user, dataSource, http, "return", Who.Moderator, TechnologyStatus.Returned,
                    [TechnologyStatus.Submitted], ct))
            .RequireAuthorization(ListingPolicies.Moderator)
            .WithSummary("Return a submitted technology to its owner with reasons (moderators). Body: {\"reasons\": \"…\"}.");
        Transition(group, "negotiation", "Mark a published technology as under negotiation (owner's organisation).",
            ListingPolicies.Publisher, Who.Owner, TechnologyStatus.UnderNegotiation, TechnologyStatus.Published);
        Transition(group, "resume", "Put a technology under negotiation back on the market (owner's organisation).",
            ListingPolicies.Publisher, Who.Owner, TechnologyStatus.Published, TechnologyStatus.UnderNegotiation);
        Transition(group, "transferred", "Record that the technology was transferred (owner's organisation).",
            ListingPolicies.Publisher, Who.Owner, TechnologyStatus.Transferred, TechnologyStatus.Published, TechnologyStatus.UnderNegotiation);
        group.MapPost("/{id:guid}/withdraw", (Guid id, WithdrawRequest? body, [FromHeader(Name = "If-Match")] string? ifMatch,
                ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
                TransitionAsync(id, ifMatch, body?.Reason, user, dataSource, http, "withdraw", Who.Owner, TechnologyStatus.Withdrawn,
                    [TechnologyStatus.Draft, TechnologyStatus.Submitted, TechnologyStatus.Returned, TechnologyStatus.Published,
                        TechnologyStatus.UnderNegotiation], ct))
            .RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Withdraw the technology (owner's organisation); final. Body (optional): {\"reason\": \"…\"}.");

        group.MapGet("/{id:guid}/access-grants", ListGrantsAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Organisations that may read the confidential detail (owner's organisation).");
        group.MapPost("/{id:guid}/access-grants", GrantAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Let another organisation read the confidential detail (owner's organisation).");
        group.MapDelete("/{id:guid}/access-grants/{organisationId:guid}", RevokeAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Take back an organisation's access to the confidential detail (owner's organisation).");
        return app;
    }

    private enum Who { Owner, Moderator }

    private static void Transition(RouteGroupBuilder group, string action, string summary, string policy, Who who, string to,
        params string[] from) =>
        group.MapPost($"/{{id:guid}}/{action}", (Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal user,
                NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
                TransitionAsync(id, ifMatch, null, user, dataSource, http, action, who, to, from, ct))
            .RequireAuthorization(policy)
            .WithSummary(summary + " Honours If-Match.");

    private static async Task<Results<Ok<TechnologyView>, ValidationProblem, ProblemHttpResult>> TransitionAsync(
        Guid id, string? ifMatch, string? reason, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http,
        string action, Who who, string to, string[] from, CancellationToken ct)
    {
        var validation = new Validation();
        if (action == "return")
        {
            validation.Require("reasons", reason, 4000);
        }
        else
        {
            validation.Optional("reason", reason, 4000);
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var technology = await TechnologyStore.LoadAsync(connection, id, transaction, ct, forUpdate: true);
        if (technology is null || !CanSee(technology, user))
        {
            return NotFound(id);
        }
        var allowed = who == Who.Owner ? IsOwner(technology, user) : ListingPolicies.IsModerator(user);
        if (!allowed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: who == Who.Owner ? "Not your organisation's technology." : "Only moderators may do this.",
                detail: who == Who.Owner
                    ? $"Only members of the owning organisation may {action} it."
                    : "A platform admin or a member of a verified service agency moderates technologies.");
        }
        if (Stale(ifMatch, technology) is { } stale)
        {
            return stale;
        }
        if (!from.Contains(technology.Status))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The technology is {technology.Status}.",
                detail: $"'{action}' applies to a technology that is {string.Join(" or ", from)}.");
        }
        if (to == TechnologyStatus.Submitted && TechnologyValidation.ValidateForSubmission(technology) is { IsValid: false } incomplete)
        {
            return incomplete.ToProblem();
        }
        var changed = await TechnologyStore.ChangeStatusAsync(transaction, technology, to, action, ActorOf(user), reason?.Trim(), ct);
        await transaction.CommitAsync(ct);
        SetETag(http, changed.Version);
        return TypedResults.Ok(IsOwner(changed, user) ? changed : changed with { ConfidentialDetail = null });
    }

    private static async Task<Results<Created<TechnologyView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        TechnologyInput input, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = TechnologyValidation.Validate(input, Today(clock))
            .Check(idempotencyKey is null || (idempotencyKey.Length is > 0 and <= 100 && Correlation.IsValid(idempotencyKey)),
                "Idempotency-Key", "At most 100 letters, digits, '-', '_' or '.'.")
            .Check(user.OrganisationId() is not null, "organisation", "The caller belongs to no organisation.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var actor = ActorOf(user);
        var id = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (idempotencyKey is not null)
        {
            var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(input, JsonDefaults.Web));
            var first = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO idempotency_keys (user_id, key, request_hash, resource_id) VALUES (@userId, @idempotencyKey, @hash, @id)
                ON CONFLICT DO NOTHING
                """, new { userId = actor.UserId, idempotencyKey, hash, id }, transaction, cancellationToken: ct));
            if (first == 0)
            {
                var earlier = await connection.QuerySingleAsync<(byte[] Hash, Guid ResourceId)>(new CommandDefinition(
                    "SELECT request_hash, resource_id FROM idempotency_keys WHERE user_id = @userId AND key = @idempotencyKey",
                    new { userId = actor.UserId, idempotencyKey }, transaction, cancellationToken: ct));
                if (!earlier.Hash.AsSpan().SequenceEqual(hash))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key reused with another body.",
                        detail: "This key was already used for a different request; use a new key for a new technology.",
                        extensions: new Dictionary<string, object?> { ["field"] = "Idempotency-Key" });
                }
                var existing = (await TechnologyStore.LoadAsync(connection, earlier.ResourceId, transaction, ct))!;
                SetETag(http, existing.Version);
                return TypedResults.Created($"{Base}/{existing.Id}", existing);
            }
        }
        var created = await TechnologyStore.InsertAsync(transaction, id, actor, TechnologyValidation.Normalise(input), ct);
        await transaction.CommitAsync(ct);
        SetETag(http, created.Version);
        return TypedResults.Created($"{Base}/{id}", created);
    }

    private static async Task<Results<Ok<TechnologyView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, TechnologyInput input, [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (ifMatch is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required.",
                detail: "Send the ETag of the version you edited in If-Match, so a concurrent change is not overwritten.",
                extensions: new Dictionary<string, object?> { ["field"] = "If-Match" });
        }
        var validation = TechnologyValidation.Validate(input, Today(clock));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var technology = await TechnologyStore.LoadAsync(connection, id, transaction, ct, forUpdate: true);
        if (technology is null || !CanSee(technology, user))
        {
            return NotFound(id);
        }
        if (!IsOwner(technology, user))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your organisation's technology.",
                detail: "Only members of the owning organisation may change it.");
        }
        if (Stale(ifMatch, technology) is { } stale)
        {
            return stale;
        }
        string[] editable = [TechnologyStatus.Draft, TechnologyStatus.Returned, TechnologyStatus.Published, TechnologyStatus.UnderNegotiation];
        if (!editable.Contains(technology.Status))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The technology is {technology.Status}.",
                detail: technology.Status == TechnologyStatus.Submitted
                    ? "It is waiting for moderation; wait for the decision (a returned technology can be edited)."
                    : "A transferred, withdrawn or expired technology can no longer be changed.");
        }
        var updated = await TechnologyStore.UpdateContentAsync(transaction, technology, ActorOf(user), TechnologyValidation.Normalise(input), ct);
        await transaction.CommitAsync(ct);
        SetETag(http, updated.Version);
        return TypedResults.Ok(updated);
    }

    private static async Task<Results<Ok<TechnologyView>, Ok<PublicTechnologyView>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var technology = await TechnologyStore.LoadAsync(connection, id, null, ct);
        if (technology is null || !CanSee(technology, user))
        {
            return NotFound(id);
        }
        SetETag(http, technology.Version);
        if (IsOwner(technology, user))
        {
            return TypedResults.Ok(technology);
        }
        if (ListingPolicies.IsModerator(user))
        {
            return TypedResults.Ok(technology with { ConfidentialDetail = null });
        }
        if (await TechnologyStore.HasAccessGrantAsync(connection, id, user.OrganisationId(), ct))
        {
            return TypedResults.Ok(technology with { ReturnReasons = null });
        }
        return TypedResults.Ok(PublicTechnologyView.From(technology));
    }

    private static async Task<Results<Ok<IReadOnlyList<TechnologyVersionView>>, ProblemHttpResult>> HistoryAsync(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var technology = await TechnologyStore.LoadAsync(connection, id, null, ct);
        if (technology is null || !CanSee(technology, user))
        {
            return NotFound(id);
        }
        if (!IsOwner(technology, user) && !ListingPolicies.IsModerator(user))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your organisation's technology.",
                detail: "The history is kept for the owning organisation and the moderators.");
        }
        return TypedResults.Ok(await TechnologyStore.HistoryAsync(connection, id, ct));
    }

    private static async Task<Results<Ok<PageOf<PublicTechnologyView>>, ValidationProblem>> PublicListAsync(
        NpgsqlDataSource dataSource, CancellationToken ct, [AsParameters] TechnologyFilter filter)
    {
        var validation = filter.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var (where, parameters) = filter.ToSql();
        parameters.Add("statuses", filter.Status is null ? TechnologyStatus.Public : new[] { filter.Status });
        var page = await PageAsync(dataSource, $"status = ANY(@statuses){where}", "published_at DESC, id DESC", parameters,
            filter.PageOrDefault, filter.PageSizeOrDefault, ct);
        return TypedResults.Ok(new PageOf<PublicTechnologyView>(page.Items.Select(PublicTechnologyView.From).ToList(), page.Total,
            page.Page, page.PageSize));
    }

    private static async Task<Results<Ok<PageOf<TechnologyView>>, ValidationProblem>> MineAsync(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct, string? status = null, int page = 1, int pageSize = 20)
    {
        var validation = Paging.Validate(page, pageSize)
            .Check(status is null || ListingReferenceData.Statuses.Contains(status), "status",
                $"Unknown status '{status}'; use one of {string.Join(", ", ListingReferenceData.Statuses)}.")
            .Check(user.OrganisationId() is not null, "organisation", "The caller belongs to no organisation.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var parameters = new DynamicParameters(new { organisationId = user.OrganisationId(), status });
        return TypedResults.Ok(await PageAsync(dataSource, "organisation_id = @organisationId AND (@status::text IS NULL OR status = @status)",
            "created_at DESC, id DESC", parameters, page, pageSize, ct));
    }

    private static async Task<Results<Ok<PageOf<TechnologyView>>, ValidationProblem>> ModerationQueueAsync(
        NpgsqlDataSource dataSource, CancellationToken ct, int page = 1, int pageSize = 20)
    {
        var validation = Paging.Validate(page, pageSize);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var result = await PageAsync(dataSource, "status = 'submitted'", "submitted_at, id", new DynamicParameters(), page, pageSize, ct);
        return TypedResults.Ok(result with { Items = result.Items.Select(t => t with { ConfidentialDetail = null }).ToList() });
    }

    private static async Task<PageOf<TechnologyView>> PageAsync(NpgsqlDataSource dataSource, string where, string orderBy,
        DynamicParameters parameters, int page, int pageSize, CancellationToken ct)
    {
        parameters.Add("limit", pageSize);
        parameters.Add("offset", (page - 1) * pageSize);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<TechnologyRow>(new CommandDefinition(
            $"SELECT {TechnologyRow.Columns} FROM technologies WHERE {where} ORDER BY {orderBy} LIMIT @limit OFFSET @offset",
            parameters, cancellationToken: ct));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM technologies WHERE {where}", parameters, cancellationToken: ct));
        return new PageOf<TechnologyView>(rows.Select(r => r.ToView()).ToList(), total, page, pageSize);
    }

    private static async Task<Results<Ok<IReadOnlyList<AccessGrantView>>, ProblemHttpResult>> ListGrantsAsync(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await OwnedAsync(connection, id, user, null, ct) is { } problem)
        {
            return problem;
        }
        var grants = await connection.QueryAsync<AccessGrantView>(new CommandDefinition(
            """
            SELECT organisation_id AS OrganisationId, granted_by AS GrantedBy, source AS Source, granted_at AS GrantedAt
            FROM technology_access_grants WHERE technology_id = @id ORDER BY granted_at
            """, new { id }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<AccessGrantView>>(grants.AsList());
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> GrantAsync(
        Guid id, AccessGrantRequest request, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var validation = new Validation()
            .Check(request.OrganisationId is not null && request.OrganisationId != Guid.Empty, "organisationId", "'organisationId' is required.")
            .Check(request.OrganisationId != user.OrganisationId(), "organisationId", "Your own organisation always has access.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await OwnedAsync(connection, id, user, transaction, ct) is { } problem)
        {
            return problem;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO technology_access_grants (technology_id, organisation_id, granted_by, source) VALUES (@id, @organisationId, @userId, 'owner')
            ON CONFLICT DO NOTHING
            """, new { id, organisationId = request.OrganisationId, userId = user.UserId() }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid id, Guid organisationId, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await OwnedAsync(connection, id, user, null, ct) is { } problem)
        {
            return problem;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM technology_access_grants WHERE technology_id = @id AND organisation_id = @organisationId",
            new { id, organisationId }, cancellationToken: ct));
        return TypedResults.NoContent();
    }

    /// <summary>Null when the caller's organisation owns the technology; else the 404 or 403 to answer.</summary>
    private static async Task<ProblemHttpResult?> OwnedAsync(NpgsqlConnection connection, Guid id, ClaimsPrincipal user,
        NpgsqlTransaction? transaction, CancellationToken ct)
    {
        var technology = await TechnologyStore.LoadAsync(connection, id, transaction, ct);
        if (technology is null || !CanSee(technology, user))
        {
            return NotFound(id);
        }
        return IsOwner(technology, user)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your organisation's technology.",
                detail: "Only members of the owning organisation manage access to its confidential detail.");
    }

    private static bool IsOwner(TechnologyView technology, ClaimsPrincipal user) =>
        user.OrganisationId() is { } organisation && technology.OrganisationId == organisation;

    /// <summary>Public states for everyone; every state for the owner's organisation and moderators.</summary>
    private static bool CanSee(TechnologyView technology, ClaimsPrincipal user) =>
        TechnologyStatus.Public.Contains(technology.Status) || IsOwner(technology, user) || ListingPolicies.IsModerator(user);

    private static ProblemHttpResult? Stale(string? ifMatch, TechnologyView technology) =>
        ifMatch is null || ifMatch == ETag(technology.Version) || ifMatch == "*"
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The technology has changed.",
                detail: $"If-Match {ifMatch} is stale; the current ETag is {ETag(technology.Version)}. Reload and retry.",
                extensions: new Dictionary<string, object?> { ["field"] = "If-Match" });

    private static Actor ActorOf(ClaimsPrincipal user) => new(user.UserId(), user.OrganisationId());

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static string ETag(int version) => $"\"{version}\"";

    private static void SetETag(HttpContext http, int version) => http.Response.Headers.ETag = ETag(version);

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such technology.",
            detail: $"Technology {id} does not exist or is not visible to you.");
}
