using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.ServiceDefaults;
using TransferHub.Spreadsheets;

namespace TransferHub.Registration.Api;

public sealed record StatisticsRow(string Key, long Contracts, decimal ContractAmountCny, decimal TechnologyAmountCny);

public sealed record StatisticsView(string GroupBy, DateOnly From, DateOnly To, string? Station, IReadOnlyList<StatisticsRow> Rows, StatisticsRow Total);

/// <summary>
/// Registered contracts counted and summed (in CNY at the recorded rates) by period, station, category, field, party
/// nature, country or IP type. Station officers see their own station; platform admins every station or one.
/// A contract with parties in two countries (or two IP types) counts once under each; the total counts it once.
/// Amendments and terminations are not new contracts and are not counted.
/// </summary>
public static class StatisticsEndpoints
{
    /// <summary>groupBy → the SQL key expression and the FROM clause it needs.</summary>
    private static readonly IReadOnlyDictionary<string, (string Key, string From)> Dimensions = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["month"] = ("to_char(s.registered_on, 'YYYY-MM')", "submissions s"),
        ["year"] = ("to_char(s.registered_on, 'YYYY')", "submissions s"),
        ["station"] = ("s.station_code", "submissions s"),
        ["category"] = ("s.registered_category", "submissions s"),
        ["field"] = ("s.field", "submissions s"),
        ["nature"] = ("COALESCE(o.legal_person_nature, 'unknown')", "submissions s LEFT JOIN organisations o ON o.id = s.registrant_org_id"),
        ["country"] = ("c.country", "submissions s CROSS JOIN LATERAL (SELECT DISTINCT p->>'country' AS country FROM jsonb_array_elements(s.parties) p) c"),
        ["ipType"] = ("COALESCE(i.type, 'none')",
            "submissions s LEFT JOIN LATERAL (SELECT DISTINCT r->>'type' AS type FROM jsonb_array_elements(s.ip) r) i ON true"),
    };

    private const string Where = """
        s.status = 'registered' AND s.kind = 'contract' AND s.registered_on BETWEEN @from AND @to AND (@station::text IS NULL OR s.station_code = @station)
        """;

    public static WebApplication MapStatisticsEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/registrations/statistics").WithTags("Statistics").RequireAuthorization(AuthPolicies.Authenticated);
        group.MapGet("/", GetAsync).WithSummary("Counts and amounts of registered contracts by one dimension (station officers: own station).");
        group.MapGet("/export", ExportAsync).WithSummary("The same table as CSV or XLSX (format=csv|xlsx).");
        return app;
    }

    private static async Task<Results<Ok<StatisticsView>, ValidationProblem, ProblemHttpResult>> GetAsync(ClaimsPrincipal user, NpgsqlDataSource dataSource,
        TimeProvider clock, CancellationToken ct, string groupBy = "station", DateOnly? from = null, DateOnly? to = null, string? station = null)
    {
        var (view, invalid, forbidden) = await QueryAsync(user, dataSource, clock, groupBy, from, to, station, ct);
        return view is not null ? TypedResults.Ok(view) : invalid is not null ? invalid : forbidden!;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct, string format = "xlsx", string groupBy = "station", DateOnly? from = null,
        DateOnly? to = null, string? station = null)
    {
        if (!TableFile.Formats.Contains(format))
        {
            return new Validation().Add("format", "'format' is csv or xlsx.").ToProblem();
        }
        var (view, invalid, forbidden) = await QueryAsync(user, dataSource, clock, groupBy, from, to, station, ct);
        if (view is null)
        {
            return invalid is not null ? invalid : forbidden!;
        }
        var rows = view.Rows.Append(view.Total).Select(r => (IReadOnlyList<object?>)[r.Key, r.Contracts, r.ContractAmountCny, r.TechnologyAmountCny]);
        var file = TableFile.Write(format, "statistics", [groupBy, "contracts", "contract_amount_cny", "technology_amount_cny"], rows);
        return TypedResults.File(file, TableFile.ContentType(format),
            $"registrations-by-{groupBy}-{view.From:yyyyMMdd}-{view.To:yyyyMMdd}{(view.Station is null ? "" : "-" + view.Station)}.{format}");
    }

    private static async Task<(StatisticsView? View, ValidationProblem? Invalid, ProblemHttpResult? Forbidden)> QueryAsync(ClaimsPrincipal user, NpgsqlDataSource dataSource, TimeProvider clock,
        string groupBy, DateOnly? from, DateOnly? to, string? station, CancellationToken ct)
    {
        var today = RegistrationOptions.LocalDate(clock.GetUtcNow());
        var start = from ?? new DateOnly(today.Year, 1, 1);
        var end = to ?? today;
        var v = new Validation()
            .Check(Dimensions.ContainsKey(groupBy), "groupBy", $"One of {string.Join(", ", Dimensions.Keys)}.")
            .Check(start <= end, "from", "'from' is on or before 'to'.")
            .Check(end.DayNumber - start.DayNumber <= 366 * 20, "to", "At most 20 years at once.")
            .Check(station is null || (station.Length == 6 && station.All(char.IsAsciiDigit)), "station", "A 6-digit station code.");
        if (!v.IsValid)
        {
            return (null, v.ToProblem(), null);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!RegistrationPolicies.IsAdmin(user))
        {
            if (await Stations.OfOfficerAsync(connection, user, null, ct) is not { } own)
            {
                return (null, null, HttpConventions.Forbidden("Statistics are for stations and platform admins.",
                    "Station officers see their own station's figures; platform admins see every station."));
            }
            if (station is not null && station != own)
            {
                return (null, null, HttpConventions.Forbidden("Not your station.", $"You see the figures of station {own} only."));
            }
            station = own;
        }
        var (key, source) = Dimensions[groupBy];
        var args = new { from = start, to = end, station };
        var rows = await connection.QueryAsync<StatisticsRow>(new CommandDefinition(
            $"""
             SELECT COALESCE({key}, 'unknown') AS Key, count(*) AS Contracts, COALESCE(sum(s.contract_amount_cny), 0) AS ContractAmountCny,
                    COALESCE(sum(s.technology_amount_cny), 0) AS TechnologyAmountCny
             FROM {source} WHERE {Where} GROUP BY 1 ORDER BY 1
             """, args, cancellationToken: ct));
        var total = await connection.QuerySingleAsync<StatisticsRow>(new CommandDefinition(
            $"""
             SELECT 'total' AS Key, count(*) AS Contracts, COALESCE(sum(s.contract_amount_cny), 0) AS ContractAmountCny,
                    COALESCE(sum(s.technology_amount_cny), 0) AS TechnologyAmountCny
             FROM submissions s WHERE {Where}
             """, args, cancellationToken: ct));
        return (new StatisticsView(groupBy, start, end, station, rows.AsList(), total), null, null);
    }
}
