using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api;

public sealed record StationView(string Code, string NameZh, string NameEn, string[] RegionCodes);

public sealed record QueueItem(Guid Id, string StationCode, Guid SellerOrgId, string Status, DateTimeOffset CreatedAt);

public static class StationEndpoints
{
    public static WebApplication MapStationEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/registrations").WithTags("Stations");
        group.MapGet("/stations", StationsAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("The registration stations and the regions they serve.");
        group.MapGet("/queue", QueueAsync).RequireAuthorization(Roles.StationOfficer)
            .WithSummary("Open submissions at the caller's station (station officers only).");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<StationView>>> StationsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<StationView>(new CommandDefinition(
            "SELECT code AS Code, name_zh AS NameZh, name_en AS NameEn, region_codes AS RegionCodes FROM stations ORDER BY code",
            cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<StationView>>(rows.AsList());
    }

    /// <summary>Only the officer's own station: the station is found by the officer's organisation.</summary>
    private static async Task<Ok<IReadOnlyList<QueueItem>>> QueueAsync(System.Security.Claims.ClaimsPrincipal user, NpgsqlDataSource dataSource,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<QueueItem>(new CommandDefinition(
            """
            SELECT s.id AS Id, s.station_code AS StationCode, s.seller_org_id AS SellerOrgId, s.status AS Status, s.created_at AS CreatedAt
            FROM submissions s JOIN stations st ON st.code = s.station_code
            WHERE st.organisation_id = @organisationId AND s.status NOT IN ('registered', 'refused')
            ORDER BY s.created_at
            """, new { organisationId = user.OrganisationId() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<QueueItem>>(rows.AsList());
    }
}
