using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TransferHub.Listing.Api.Attachments;
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
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous()
            .WithSummary("A public need (anyone; the company hidden when anonymous); any state for its company and moderators.");
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(ListingPolicies.NeedPublisher)
            .WithSummary("Replace the need's content (its company). Requires If-Match with the current ETag.");
        AttachmentEndpoints.Map(group, kind, ListingPolicies.NeedPublisher, (_, _, _, _) => Task.FromResult(false));
        ListingEndpoints.MapShared(group, kind, ListingPolicies.NeedPublisher, ListingStatus.CommonActions("need").Append(
            new LifecycleAction("fulfilled", ListingStatus.Fulfilled, [ListingStatus.Published, ListingStatus.UnderNegotiation], false,
                "Record that the need was met (its company).")));
        return app;
    }

    private static Task<Results<Created<NeedView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        NeedInput input, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ListingEndpoints.CreateAsync(kind, input, idempotencyKey, NeedValidation.Validate(input, ListingHttp.Today(clock)),
            (tx, id, actor) => kind.InsertAsync(tx, id, actor, NeedValidation.Normalise(input), ct), user, dataSource, http, ct);

    private static Task<Results<Ok<NeedView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, NeedInput input, [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ListingEndpoints.UpdateAsync(kind, id, ifMatch, NeedValidation.Validate(input, ListingHttp.Today(clock)),
            need => need.OpenCall != (input.OpenCall ?? false) && need.Status is not (ListingStatus.Draft or ListingStatus.Returned)
                ? HttpConventions.Conflict("A published need cannot become or stop being an open call.",
                    "Withdraw it and publish a new need instead, so proposers are not misled.")
                : null,
            (tx, current, actor) => kind.UpdateContentAsync(tx, current, actor, NeedValidation.Normalise(input), ct), user, dataSource, http, ct);

    private static async Task<Results<Ok<NeedView>, Ok<PublicNeedView>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var need = await kind.LoadAsync(connection, id, null, ct);
        if (need is null || !Lifecycle.CanSee(kind, need, user))
        {
            return HttpConventions.NotFound("need", id);
        }
        HttpConventions.SetETag(http, need.Version);
        if (ListingHttp.IsOwner(need.OrganisationId, user))
        {
            return TypedResults.Ok(need);
        }
        return ListingPolicies.IsModerator(user) ? TypedResults.Ok(need with { ConfidentialDetail = null }) : TypedResults.Ok(PublicNeedView.From(need));
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
        var result = await kind.PageAsync(dataSource, where, "published_at DESC, id DESC", parameters, page, pageSize, ct);
        return TypedResults.Ok(new PageOf<PublicNeedView>(result.Items.Select(PublicNeedView.From).ToList(), result.Total, page, pageSize));
    }
}
