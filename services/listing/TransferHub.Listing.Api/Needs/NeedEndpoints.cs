using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Needs;

/// <summary>Query-string filters of the public need list.</summary>
public sealed class NeedFilter
{
    public string? Field { get; init; }
    public string? Country { get; init; }
    public string? Language { get; init; }
    public bool? OpenCall { get; init; }
    public string? Status { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
}

/// <summary>Companies' needs: drafts, moderation, publication (optionally as an open call), negotiation, fulfilment, history.</summary>
public static class NeedEndpoints
{
    private const string Base = "/api/listings/needs";
    private static readonly NeedStore kind = NeedStore.Instance;

    public static WebApplication MapNeedEndpoints(this WebApplication app)
    {
        var group = app.MapGroup(Base).WithTags("Needs");
        group.MapGet("/", PublicListAsync).AllowAnonymous()
            .WithSummary("Published needs (and those under negotiation or fulfilled), newest first; filters field, country, language, openCall, status.");
        group.MapPost("/", CreateAsync).RequireAuthorization(ListingPolicies.NeedPublisher)
            .WithSummary("Create a need as a draft of the caller's company. Honours Idempotency-Key.");
        group.MapGet("/mine", MineAsync).RequireAuthorization(ListingPolicies.NeedPublisher)
            .WithSummary("The needs of the caller's company in any state, newest first.");
        group.MapGet("/moderation", ModerationQueueAsync).RequireAuthorization(ListingPolicies.Moderator)
            .WithSummary("Submitted needs waiting for a moderator, oldest first.");
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous()
            .WithSummary("A public need (anyone; the company hidden when anonymous); any state for its company and moderators.");
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(ListingPolicies.NeedPublisher)
            .WithSummary("Replace the need's content (its company). Requires If-Match with the current ETag.");
        group.MapGet("/{id:guid}/history", HistoryAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("Every version: who did what, when (the company and moderators).");
        Lifecycle.Map(group, kind, ListingStatus.CommonActions("need").Append(
            new LifecycleAction("fulfilled", ListingStatus.Fulfilled, [ListingStatus.Published, ListingStatus.UnderNegotiation], false,
                "Record that the need was met (its company).")));
        return app;
    }

    private static async Task<Results<Created<NeedView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        NeedInput input, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = NeedValidation.Validate(input, ListingHttp.Today(clock))
            .Check(IdempotencyKeys.IsValid(idempotencyKey), "Idempotency-Key", IdempotencyKeys.Rule)
            .Check(user.OrganisationId() is not null, "organisation", "The caller belongs to no organisation.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var actor = Actor.Of(user);
        var id = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var claim = await IdempotencyKeys.ClaimAsync(transaction, actor.UserId!.Value, idempotencyKey, input, id, ct);
        if (claim.Conflict is { } conflict)
        {
            return conflict;
        }
        var need = claim.Replay is { } earlier
            ? (await kind.LoadAsync(connection, earlier, transaction, ct))!
            : await kind.InsertAsync(transaction, id, actor, NeedValidation.Normalise(input), ct);
        await transaction.CommitAsync(ct);
        ListingHttp.SetETag(http, need.Version);
        return TypedResults.Created($"{Base}/{need.Id}", need);
    }

    private static async Task<Results<Ok<NeedView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, NeedInput input, [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (ifMatch is null)
        {
            return ListingHttp.PreconditionRequired();
        }
        var validation = NeedValidation.Validate(input, ListingHttp.Today(clock));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var need = await kind.LoadAsync(connection, id, transaction, ct, forUpdate: true);
        if (need is null || !Lifecycle.CanSee(kind, need, user))
        {
            return ListingHttp.NotFound("need", id);
        }
        if (!ListingHttp.IsOwner(need.OrganisationId, user))
        {
            return ListingHttp.NotYours("need", "change");
        }
        if (ListingHttp.Stale(ifMatch, need.Version, "need") is { } stale)
        {
            return stale;
        }
        if (need.Status is not (ListingStatus.Draft or ListingStatus.Returned or ListingStatus.Published or ListingStatus.UnderNegotiation))
        {
            return ListingHttp.Conflict($"The need is {need.Status}.", need.Status == ListingStatus.Submitted
                ? "It is waiting for moderation; wait for the decision (a returned need can be edited)."
                : "A fulfilled, withdrawn or expired need can no longer be changed.");
        }
        if (need.OpenCall != (input.OpenCall ?? false) && need.Status is not (ListingStatus.Draft or ListingStatus.Returned))
        {
            return ListingHttp.Conflict("A published need cannot become or stop being an open call.",
                "Withdraw it and publish a new need instead, so proposers are not misled.");
        }
        var updated = await kind.UpdateContentAsync(transaction, need, Actor.Of(user), NeedValidation.Normalise(input), ct);
        await transaction.CommitAsync(ct);
        ListingHttp.SetETag(http, updated.Version);
        return TypedResults.Ok(updated);
    }

    private static async Task<Results<Ok<NeedView>, Ok<PublicNeedView>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var need = await kind.LoadAsync(connection, id, null, ct);
        if (need is null || !Lifecycle.CanSee(kind, need, user))
        {
            return ListingHttp.NotFound("need", id);
        }
        ListingHttp.SetETag(http, need.Version);
        if (ListingHttp.IsOwner(need.OrganisationId, user))
        {
            return TypedResults.Ok(need);
        }
        return ListingPolicies.IsModerator(user) ? TypedResults.Ok(need with { ConfidentialDetail = null }) : TypedResults.Ok(PublicNeedView.From(need));
    }

    private static async Task<Results<Ok<IReadOnlyList<VersionView>>, ProblemHttpResult>> HistoryAsync(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var need = await kind.LoadAsync(connection, id, null, ct);
        if (need is null || !Lifecycle.CanSee(kind, need, user))
        {
            return ListingHttp.NotFound("need", id);
        }
        if (!ListingHttp.IsOwner(need.OrganisationId, user) && !ListingPolicies.IsModerator(user))
        {
            return ListingHttp.Forbidden("Not your company's need.", "The history is kept for the company and the moderators.");
        }
        return TypedResults.Ok(await VersionHistory.Needs.ListAsync(connection, id, ct));
    }

    private static async Task<Results<Ok<PageOf<PublicNeedView>>, ValidationProblem>> PublicListAsync(
        NpgsqlDataSource dataSource, CancellationToken ct, [AsParameters] NeedFilter filter)
    {
        int page = filter.Page ?? 1, pageSize = filter.PageSize ?? 20;
        var validation = Paging.Validate(page, pageSize)
            .Check(filter.Field is null || ListingReferenceData.FieldCodes.Contains(filter.Field), "field", $"Unknown field '{filter.Field}'.")
            .Check(filter.Country is null || ListingReferenceData.Countries.Contains(filter.Country), "country", $"Unknown country '{filter.Country}'.")
            .Check(filter.Language is null || ContentLanguages.All.Contains(filter.Language), "language", $"Unknown language '{filter.Language}'.")
            .Check(filter.Status is null || NeedStore.Public.Contains(filter.Status), "status",
                $"Unknown status '{filter.Status}'; use one of {string.Join(", ", NeedStore.Public)}.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var where = """
            status = ANY(@statuses) AND (@field::text IS NULL OR @field = ANY(fields)) AND (@country::text IS NULL OR country = @country)
            AND (@openCall::boolean IS NULL OR open_call = @openCall)
            AND (@language::text IS NULL OR language = @language OR translations @> jsonb_build_array(jsonb_build_object('language', @language::text)))
            """;
        var parameters = new DynamicParameters(new
        {
            statuses = filter.Status is null ? NeedStore.Public : new[] { filter.Status }, filter.Field, filter.Country, filter.OpenCall, filter.Language,
        });
        var result = await PageAsync(dataSource, where, "published_at DESC, id DESC", parameters, page, pageSize, ct);
        return TypedResults.Ok(new PageOf<PublicNeedView>(result.Items.Select(PublicNeedView.From).ToList(), result.Total, page, pageSize));
    }

    private static async Task<Results<Ok<PageOf<NeedView>>, ValidationProblem>> MineAsync(
        ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct, string? status = null, int page = 1, int pageSize = 20)
    {
        var validation = Paging.Validate(page, pageSize)
            .Check(status is null || ListingReferenceData.NeedStatuses.Contains(status), "status",
                $"Unknown status '{status}'; use one of {string.Join(", ", ListingReferenceData.NeedStatuses)}.")
            .Check(user.OrganisationId() is not null, "organisation", "The caller belongs to no organisation.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        return TypedResults.Ok(await PageAsync(dataSource, "organisation_id = @organisationId AND (@status::text IS NULL OR status = @status)",
            "created_at DESC, id DESC", new DynamicParameters(new { organisationId = user.OrganisationId(), status }), page, pageSize, ct));
    }

    private static async Task<Results<Ok<PageOf<NeedView>>, ValidationProblem>> ModerationQueueAsync(
        NpgsqlDataSource dataSource, CancellationToken ct, int page = 1, int pageSize = 20)
    {
        var validation = Paging.Validate(page, pageSize);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var result = await PageAsync(dataSource, "status = 'submitted'", "submitted_at, id", new DynamicParameters(), page, pageSize, ct);
        return TypedResults.Ok(result with { Items = result.Items.Select(kind.WithoutConfidentialDetail).ToList() });
    }

    private static Task<PageOf<NeedView>> PageAsync(NpgsqlDataSource dataSource, string where, string orderBy,
        DynamicParameters parameters, int page, int pageSize, CancellationToken ct) =>
        ListingQueries.PageAsync<NeedRow, NeedView>(dataSource, "needs", NeedRow.Columns, where, orderBy, parameters, page, pageSize,
            r => r.ToView(), ct);
}
