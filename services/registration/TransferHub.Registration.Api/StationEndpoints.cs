using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.Registration.Api.Submissions;
using TransferHub.Registration.Domain;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api;

public sealed record StationView(string Code, string NameZh, string NameEn, string[] RegionCodes, Guid? OrganisationId);

public sealed record ReferenceView(IReadOnlyList<ContractCategory> Categories, IReadOnlyList<RefusalReason> RefusalReasons,
    IReadOnlyList<string> CostKinds, IReadOnlyList<string> DocumentKinds, IReadOnlyList<string> Statuses, object Rules);

public static class Stations
{
    public static async Task<IReadOnlyList<StationView>> AllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct) =>
        (await connection.QueryAsync<StationView>(new CommandDefinition(
            "SELECT code AS Code, name_zh AS NameZh, name_en AS NameEn, region_codes AS RegionCodes, organisation_id AS OrganisationId FROM stations ORDER BY code",
            transaction: transaction, cancellationToken: ct))).AsList();

    /// <summary>
    /// The station the caller works at: the one whose organisation is the caller's, for station officers only. A station
    /// organisation named exactly like an unstaffed station takes it on first use (stations' organisations are created by
    /// platform admins, who can rebind with PUT /stations/{code}/organisation).
    /// </summary>
    public static async Task<string?> OfOfficerAsync(NpgsqlConnection connection, ClaimsPrincipal user, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.StationOfficer) || user.OrganisationId() is not { } organisation)
        {
            return null;
        }
        var code = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT code FROM stations WHERE organisation_id = @organisation", new { organisation }, transaction, cancellationToken: ct));
        if (code is not null || user.OrganisationType() != "registration-station" || user.OrganisationName() is not { } name)
        {
            return code;
        }
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            """
            UPDATE stations SET organisation_id = @organisation
            WHERE code = (SELECT code FROM stations WHERE organisation_id IS NULL AND (name_en = @name OR name_zh = @name) ORDER BY code LIMIT 1)
              AND organisation_id IS NULL
            RETURNING code
            """, new { organisation, name }, transaction, cancellationToken: ct))
            // a concurrent first request of the same organisation may have bound it a moment ago
            ?? await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT code FROM stations WHERE organisation_id = @organisation", new { organisation }, transaction, cancellationToken: ct));
    }

    public static Station ToDomain(StationView s) => new(s.Code, s.NameZh, s.NameEn, s.RegionCodes);
}

public static class StationEndpoints
{
    public static WebApplication MapStationEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/registrations").WithTags("Stations");
        group.MapGet("/stations", StationsAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("The registration stations and the regions they serve.");
        group.MapGet("/stations/{code}/public-key", PublicKeyAsync).AllowAnonymous()
            .WithSummary("The station's certificate-signing public key (PEM, ECDSA P-256): anyone can check a certificate's signature.");
        group.MapPut("/stations/{code}/organisation", BindAsync).RequireAuthorization(Roles.PlatformAdmin)
            .WithSummary("Make an identity organisation of type registration-station the station's officers (platform admins).");
        group.MapGet("/reference", Reference).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("Categories, refusal reasons, cost and document kinds, statuses, and the rules' numbers in force.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<StationView>>> StationsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return TypedResults.Ok(await Stations.AllAsync(connection, null, ct));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PublicKeyAsync(string code, NpgsqlDataSource dataSource, StationKeys keys,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM stations WHERE code = @code)", new { code }, cancellationToken: ct));
        return known ? TypedResults.Text(keys.PublicKeyPem(code), "application/x-pem-file") : HttpConventions.NotFound("station", code);
    }

    private static async Task<Results<Ok<StationView>, ValidationProblem, ProblemHttpResult>> BindAsync(string code, StationBinding binding,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (binding.OrganisationId is not { } organisation)
        {
            return new Validation().Add("organisationId", "The id of a registration-station organisation.").ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var known = await Organisations.FindAsync(connection, organisation, null, ct);
        if (known is not { Type: "registration-station" })
        {
            return new Validation().Add("organisationId", "No registration-station organisation with this id is known (yet) to registration.").ToProblem();
        }
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE stations SET organisation_id = NULL WHERE organisation_id = @organisation AND code <> @code", new { organisation, code }, transaction,
            cancellationToken: ct));
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE stations SET organisation_id = @organisation WHERE code = @code", new { organisation, code }, transaction, cancellationToken: ct));
        if (updated == 0)
        {
            return HttpConventions.NotFound("station", code);
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok((await Stations.AllAsync(connection, null, ct)).Single(s => s.Code == code));
    }

    private static Ok<ReferenceView> Reference(Microsoft.Extensions.Options.IOptions<RegistrationOptions> options) =>
        TypedResults.Ok(new ReferenceView(CategoryCatalog.Default.Categories, RefusalReasons.Default, SubmissionValidation.CostKinds.Keys.ToList(),
            SubmissionValidation.DocumentKinds, SubmissionStatus.All, new
            {
                options.Value.DeadlineDays, options.Value.WorkingDays, options.Value.ExpertReviewDays, options.Value.ExpertReviewThresholdCny,
                options.Value.NumberTemplate, options.Value.CarrierSetsAllowed,
            }));
}
