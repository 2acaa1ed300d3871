using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TransferHub.Listing.Api.Attachments;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Technologies;

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
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous()
            .WithSummary("A public technology (anyone); any state for its organisation and moderators. Confidential detail only for " +
                "the owner's organisation and organisations it granted access to.");
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Replace the technology's content (owner's organisation). Requires If-Match with the current ETag.");

        ListingEndpoints.MapShared(group, TechnologyStore.Instance, ListingPolicies.Publisher, ListingStatus.CommonActions("technology").Append(
            new LifecycleAction("transferred", ListingStatus.Transferred, [ListingStatus.Published, ListingStatus.UnderNegotiation], false,
                "Record that the technology was transferred (owner's organisation).")));

        AttachmentEndpoints.Map(group, TechnologyStore.Instance, ListingPolicies.Publisher,
            (connection, id, user, ct) => TechnologyStore.HasAccessGrantAsync(connection, id, user.OrganisationId(), ct));
        group.MapGet("/{id:guid}/access-grants", ListGrantsAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Organisations that may read the confidential detail (owner's organisation).");
        group.MapPost("/{id:guid}/access-grants", GrantAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Let another organisation read the confidential detail (owner's organisation).");
        group.MapDelete("/{id:guid}/access-grants/{organisationId:guid}", RevokeAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Take back an organisation's access to the confidential detail (owner's organisation).");
        return app;
    }

    private static Task<Results<Created<TechnologyView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        TechnologyInput input, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ListingEndpoints.CreateAsync(TechnologyStore.Instance, input, idempotencyKey, TechnologyValidation.Validate(input, ListingHttp.Today(clock)),
            (tx, id, actor) => TechnologyStore.InsertAsync(tx, id, actor, TechnologyValidation.Normalise(input), ct), user, dataSource, http, ct);

    private static Task<Results<Ok<TechnologyView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, TechnologyInput input, [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ListingEndpoints.UpdateAsync(TechnologyStore.Instance, id, ifMatch, TechnologyValidation.Validate(input, ListingHttp.Today(clock)),
            _ => null, (tx, current, actor) => TechnologyStore.UpdateContentAsync(tx, current, actor, TechnologyValidation.Normalise(input), ct),
            user, dataSource, http, ct);

    private static async Task<Results<Ok<TechnologyView>, Ok<PublicTechnologyView>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var technology = await TechnologyStore.LoadAsync(connection, id, null, ct);
        if (technology is null || !Lifecycle.CanSee(TechnologyStore.Instance, technology, user))
        {
            return HttpConventions.NotFound("technology", id);
        }
        HttpConventions.SetETag(http, technology.Version);
        if (ListingHttp.IsOwner(technology.OrganisationId, user))
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

    private static async Task<Results<Ok<PageOf<PublicTechnologyView>>, ValidationProblem>> PublicListAsync(
        NpgsqlDataSource dataSource, CancellationToken ct, [AsParameters] TechnologyFilter filter)
    {
        var validation = filter.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var (where, parameters) = filter.ToSql();
        parameters.Add("statuses", filter.Status is null ? TechnologyStore.Public : new[] { filter.Status });
        var page = await TechnologyStore.Instance.PageAsync(dataSource, $"status = ANY(@statuses){where}", "published_at DESC, id DESC", parameters,
            filter.PageOrDefault, filter.PageSizeOrDefault, ct);
        return TypedResults.Ok(new PageOf<PublicTechnologyView>(page.Items.Select(PublicTechnologyView.From).ToList(), page.Total,
            page.Page, page.PageSize));
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
        NpgsqlTransaction? transaction, CancellationToken ct) =>
        (await Lifecycle.LoadOwnedAsync(TechnologyStore.Instance, connection, id, user, transaction, "manage access to the confidential detail of", ct)).Problem;
}
