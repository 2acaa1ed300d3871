using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Listings;

/// <summary>What every listing (technology, need) exposes to the shared lifecycle code.</summary>
public interface IListing
{
    Guid Id { get; }
    Guid OrganisationId { get; }
    string Status { get; }
    int Version { get; }
}

/// <summary>The storage side of one kind of listing, as the shared lifecycle code needs it.</summary>
internal interface IListingKind<TView> where TView : class, IListing
{
    /// <summary>"technology", "need": used in messages.</summary>
    string Noun { get; }

    string Plural { get; }

    /// <summary>Where the listings live, e.g. <c>/api/listings/technologies</c>.</summary>
    string BasePath { get; }

    /// <summary>Every state of the kind's lifecycle.</summary>
    IReadOnlyList<string> Statuses { get; }

    VersionHistory History { get; }

    Task<PageOf<TView>> PageAsync(NpgsqlDataSource dataSource, string where, string orderBy, Dapper.DynamicParameters parameters, int page,
        int pageSize, CancellationToken ct);

    /// <summary>States anyone may read.</summary>
    IReadOnlyList<string> PublicStatuses { get; }

    Task<TView?> LoadAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken ct, bool forUpdate = false);

    /// <summary>What a submission needs beyond a valid draft.</summary>
    Validation ValidateForSubmission(TView listing);

    /// <summary>Moves the listing to a status: one version row and the event the change means.</summary>
    Task<TView> ChangeStatusAsync(NpgsqlTransaction tx, TView current, string status, string action, Actor actor, string? reason,
        CancellationToken ct);

    /// <summary>The listing as a non-owner allowed to see it (moderator) receives it: without the confidential detail.</summary>
    TView WithoutConfidentialDetail(TView listing);
}

/// <summary>One lifecycle action: from which states to which, and who may take it.</summary>
internal sealed record LifecycleAction(string Name, string To, string[] From, bool ByModerator, string Summary, bool ReasonRequired = false);

public sealed record ReasonRequest(string? Reason, string? Reasons);

/// <summary>The lifecycle endpoints (<c>POST …/{id}/{action}</c>) shared by technologies and needs.</summary>
internal static class Lifecycle
{
    public static bool CanSee<TView>(IListingKind<TView> kind, TView listing, ClaimsPrincipal user) where TView : class, IListing =>
        kind.PublicStatuses.Contains(listing.Status) || ListingHttp.IsOwner(listing.OrganisationId, user) || ListingPolicies.IsModerator(user);

    /// <summary>
    /// The listing when the caller's organisation owns it; otherwise the answer: 404 when the caller may not even see it,
    /// 403 ("may not <paramref name="action"/> it") when it is visible but someone else's.
    /// </summary>
    public static async Task<(TView? Listing, ProblemHttpResult? Problem)> LoadOwnedAsync<TView>(IListingKind<TView> kind,
        NpgsqlConnection connection, Guid id, ClaimsPrincipal user, NpgsqlTransaction? transaction, string action, CancellationToken ct)
        where TView : class, IListing
    {
        var listing = await kind.LoadAsync(connection, id, transaction, ct, forUpdate: transaction is not null);
        if (listing is null || !CanSee(kind, listing, user))
        {
            return (null, HttpConventions.NotFound(kind.Noun, id));
        }
        return ListingHttp.IsOwner(listing.OrganisationId, user) ? (listing, null) : (null, ListingHttp.NotYours(kind.Noun, action));
    }

    public static void Map<TView>(RouteGroupBuilder group, IListingKind<TView> kind, IEnumerable<LifecycleAction> actions)
        where TView : class, IListing
    {
        foreach (var action in actions)
        {
            group.MapPost($"/{{id:guid}}/{action.Name}", (Guid id, ReasonRequest? body, [FromHeader(Name = "If-Match")] string? ifMatch,
                    ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
                    RunAsync(kind, action, id, ifMatch, body?.Reasons ?? body?.Reason, user, dataSource, http, ct))
                .RequireAuthorization(action.ByModerator ? ListingPolicies.Moderator : ListingPolicies.Publisher)
                .WithSummary($"{action.Summary} Honours If-Match." +
                    (action.ReasonRequired ? " Body: {\"reasons\": \"…\"} (required)." : " Body (optional): {\"reason\": \"…\"}."));
        }
    }

    private static async Task<Results<Ok<TView>, ValidationProblem, ProblemHttpResult>> RunAsync<TView>(IListingKind<TView> kind,
        LifecycleAction action, Guid id, string? ifMatch, string? reason, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http,
        CancellationToken ct) where TView : class, IListing
    {
        var field = action.ReasonRequired ? "reasons" : "reason";
        var validation = action.ReasonRequired ? new Validation().Require(field, reason, 4000) : new Validation().Optional(field, reason, 4000);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var listing = await kind.LoadAsync(connection, id, transaction, ct, forUpdate: true);
        if (listing is null || !CanSee(kind, listing, user))
        {
            return HttpConventions.NotFound(kind.Noun, id);
        }
        if (action.ByModerator ? !ListingPolicies.IsModerator(user) : !ListingHttp.IsOwner(listing.OrganisationId, user))
        {
            return action.ByModerator
                ? HttpConventions.Forbidden("Only moderators may do this.", $"A platform admin or a member of a verified service agency moderates a {kind.Noun}.")
                : ListingHttp.NotYours(kind.Noun, action.Name);
        }
        if (HttpConventions.Stale(ifMatch, listing.Version, kind.Noun) is { } stale)
        {
            return stale;
        }
        if (!action.From.Contains(listing.Status))
        {
            return HttpConventions.Conflict($"The {kind.Noun} is {listing.Status}.",
                $"'{action.Name}' applies to a {kind.Noun} that is {string.Join(" or ", action.From)}.");
        }
        if (action.To == ListingStatus.Submitted && kind.ValidateForSubmission(listing) is { IsValid: false } incomplete)
        {
            return incomplete.ToProblem();
        }
        var changed = await kind.ChangeStatusAsync(transaction, listing, action.To, action.Name, Actor.Of(user), reason?.Trim(), ct);
        await transaction.CommitAsync(ct);
        HttpConventions.SetETag(http, changed.Version);
        return TypedResults.Ok(ListingHttp.IsOwner(changed.OrganisationId, user) ? changed : kind.WithoutConfidentialDetail(changed));
    }
}

/// <summary>The lifecycle states shared by technologies and needs (needs end in <c>fulfilled</c> instead of <c>transferred</c>).</summary>
internal static class ListingStatus
{
    public const string Draft = "draft";
    public const string Submitted = "submitted";
    public const string Returned = "returned";
    public const string Published = "published";
    public const string UnderNegotiation = "under-negotiation";
    public const string Transferred = "transferred";
    public const string Fulfilled = "fulfilled";
    public const string Withdrawn = "withdrawn";
    public const string Expired = "expired";

    public static bool IsOnMarket(string status) => status is Published or UnderNegotiation;

    /// <summary>The moderation and market steps both kinds share; each adds its own end (transferred, fulfilled).</summary>
    public static IEnumerable<LifecycleAction> CommonActions(string noun) =>
    [
        new("submit", Submitted, [Draft, Returned], false, $"Submit a draft or returned {noun} for moderation (owner's organisation)."),
        new("approve", Published, [Submitted], true, $"Approve a submitted {noun}: it is published (moderators)."),
        new("return", Returned, [Submitted], true, $"Return a submitted {noun} to its owner with reasons (moderators).", ReasonRequired: true),
        new("negotiation", UnderNegotiation, [Published], false, $"Mark a published {noun} as under negotiation (owner's organisation)."),
        new("resume", Published, [UnderNegotiation], false, $"Put a {noun} under negotiation back on the market (owner's organisation)."),
        new("withdraw", Withdrawn, [Draft, Submitted, Returned, Published, UnderNegotiation], false,
            $"Withdraw the {noun} (owner's organisation); final."),
    ];
}
