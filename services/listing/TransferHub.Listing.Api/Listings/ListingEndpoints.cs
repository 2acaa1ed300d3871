using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Listings;

/// <summary>The endpoints technologies and needs share: create, update, mine, moderation queue, history.</summary>
internal static class ListingEndpoints
{
    private static readonly string[] editable =
        [ListingStatus.Draft, ListingStatus.Returned, ListingStatus.Published, ListingStatus.UnderNegotiation];

    /// <summary>Maps <c>GET /mine</c>, <c>GET /moderation</c>, <c>GET /{id}/history</c> and the lifecycle actions.</summary>
    public static void MapShared<TView>(RouteGroupBuilder group, IListingKind<TView> kind, string publisherPolicy,
        IEnumerable<LifecycleAction> actions) where TView : class, IListing
    {
        group.MapGet("/mine", (ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct, string? status, int? page, int? pageSize) =>
                MineAsync(kind, user, dataSource, status, page ?? 1, pageSize ?? 20, ct))
            .RequireAuthorization(publisherPolicy)
            .WithSummary($"The {kind.Plural} of the caller's organisation in any state, newest first; filter by status.");
        group.MapGet("/moderation", (NpgsqlDataSource dataSource, CancellationToken ct, int? page, int? pageSize) =>
                ModerationQueueAsync(kind, dataSource, page ?? 1, pageSize ?? 20, ct))
            .RequireAuthorization(ListingPolicies.Moderator)
            .WithSummary($"Submitted {kind.Plural} waiting for a moderator, oldest first.");
        group.MapGet("/{id:guid}/history", (Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct) =>
                HistoryAsync(kind, id, user, dataSource, ct))
            .RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("Every version: who did what, when, why (the owning organisation and moderators).");
        Lifecycle.Map(group, kind, actions);
    }

    public static async Task<Results<Created<TView>, ValidationProblem, ProblemHttpResult>> CreateAsync<TView, TInput>(
        IListingKind<TView> kind, TInput input, string? idempotencyKey, Validation validation,
        Func<NpgsqlTransaction, Guid, Actor, Task<TView>> insert, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http,
        CancellationToken ct) where TView : class, IListing
    {
        validation
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
        var listing = claim.Replay is { } earlier
            ? (await kind.LoadAsync(connection, earlier, transaction, ct))!
            : await insert(transaction, id, actor);
        await transaction.CommitAsync(ct);
        HttpConventions.SetETag(http, listing.Version);
        return TypedResults.Created($"{kind.BasePath}/{listing.Id}", listing);
    }

    /// <summary>
    /// Replaces a listing's content: If-Match required, owner only, in an editable state; <paramref name="guard"/> adds the
    /// kind's own conflicts.
    /// </summary>
    public static async Task<Results<Ok<TView>, ValidationProblem, ProblemHttpResult>> UpdateAsync<TView>(
        IListingKind<TView> kind, Guid id, string? ifMatch, Validation validation, Func<TView, ProblemHttpResult?> guard,
        Func<NpgsqlTransaction, TView, Actor, Task<TView>> update, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http,
        CancellationToken ct) where TView : class, IListing
    {
        if (ifMatch is null)
        {
            return HttpConventions.PreconditionRequired();
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (listing, problem) = await Lifecycle.LoadOwnedAsync(kind, connection, id, user, transaction, "change", ct);
        if (listing is null)
        {
            return problem!;
        }
        if (HttpConventions.Stale(ifMatch, listing.Version, kind.Noun) is { } stale)
        {
            return stale;
        }
        if (!editable.Contains(listing.Status))
        {
            return HttpConventions.Conflict($"The {kind.Noun} is {listing.Status}.", listing.Status == ListingStatus.Submitted
                ? $"It is waiting for moderation; wait for the decision (a returned {kind.Noun} can be edited)."
                : $"A {kind.Noun} that is {listing.Status} can no longer be changed.");
        }
        if (guard(listing) is { } refused)
        {
            return refused;
        }
        var updated = await update(transaction, listing, Actor.Of(user));
        await transaction.CommitAsync(ct);
        HttpConventions.SetETag(http, updated.Version);
        return TypedResults.Ok(updated);
    }

    private static async Task<Results<Ok<IReadOnlyList<VersionView>>, ProblemHttpResult>> HistoryAsync<TView>(
        IListingKind<TView> kind, Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct) where TView : class, IListing
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var listing = await kind.LoadAsync(connection, id, null, ct);
        if (listing is null || !Lifecycle.CanSee(kind, listing, user))
        {
            return HttpConventions.NotFound(kind.Noun, id);
        }
        if (!ListingHttp.IsOwner(listing.OrganisationId, user) && !ListingPolicies.IsModerator(user))
        {
            return HttpConventions.Forbidden($"Not your organisation's {kind.Noun}.", "The history is kept for the owning organisation and the moderators.");
        }
        return TypedResults.Ok(await kind.History.ListAsync(connection, id, ct));
    }

    private static async Task<Results<Ok<PageOf<TView>>, ValidationProblem>> MineAsync<TView>(IListingKind<TView> kind, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, string? status, int page, int pageSize, CancellationToken ct) where TView : class, IListing
    {
        var validation = Paging.Validate(page, pageSize)
            .Check(status is null || kind.Statuses.Contains(status), "status",
                $"Unknown status '{status}'; use one of {string.Join(", ", kind.Statuses)}.")
            .Check(user.OrganisationId() is not null, "organisation", "The caller belongs to no organisation.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        return TypedResults.Ok(await kind.PageAsync(dataSource, "organisation_id = @organisationId AND (@status::text IS NULL OR status = @status)",
            "created_at DESC, id DESC", new DynamicParameters(new { organisationId = user.OrganisationId(), status }), page, pageSize, ct));
    }

    private static async Task<Results<Ok<PageOf<TView>>, ValidationProblem>> ModerationQueueAsync<TView>(IListingKind<TView> kind,
        NpgsqlDataSource dataSource, int page, int pageSize, CancellationToken ct) where TView : class, IListing
    {
        var validation = Paging.Validate(page, pageSize);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var result = await kind.PageAsync(dataSource, "status = 'submitted'", "submitted_at, id", new DynamicParameters(), page, pageSize, ct);
        return TypedResults.Ok(result with { Items = result.Items.Select(kind.WithoutConfidentialDetail).ToList() });
    }
}
