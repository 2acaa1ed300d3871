using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Matchmaking.Api;

/// <summary>A need as matchmaking knows it; <see cref="OrganisationId"/> is null when the company stays anonymous.</summary>
public sealed record NeedCandidate(Guid Id, Guid? OrganisationId, string Status, string Title, string Summary, string Language, string[] Keywords,
    string[] Fields, int? TrlMin, decimal? Budget, string? Currency, DateOnly? Deadline, string Country, bool Anonymous, bool OpenCall,
    DateOnly? ClosesOn, int Version, DateTimeOffset PublishedAt, DateTimeOffset ReceivedAt, int AppliedEvents);

public sealed record NeedPage(IReadOnlyList<NeedCandidate> Items, long Total, int Page, int PageSize);

public static class NeedReadModelEndpoints
{
    private const string Columns = """
        id AS Id, CASE WHEN anonymous THEN NULL ELSE organisation_id END AS OrganisationId, status AS Status, title AS Title,
        summary AS Summary, language AS Language, keywords AS Keywords, fields AS Fields, trl_min AS TrlMin, budget AS Budget,
        currency AS Currency, deadline AS Deadline, country AS Country, anonymous AS Anonymous, open_call AS OpenCall,
        closes_on AS ClosesOn, version AS Version, published_at AS PublishedAt, received_at AS ReceivedAt, applied_events AS AppliedEvents
        """;

    private const string OnMarket = "status IN ('published', 'under-negotiation')";

    public static WebApplication MapNeedReadModelEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/matches/needs").WithTags("Needs").RequireAuthorization(AuthPolicies.Authenticated);
        group.MapGet("/", ListAsync).WithSummary("Needs on the market (published or under negotiation) known to matchmaking, newest first.");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("One need as matchmaking knows it, in any state it reached.");
        return app;
    }

    private static async Task<Results<Ok<NeedPage>, ValidationProblem>> ListAsync(NpgsqlDataSource dataSource, CancellationToken ct,
        int page = 1, int pageSize = 20)
    {
        var validation = new Validation()
            .Check(page is >= 1 and <= 10_000, "page", "Between 1 and 10000.")
            .Check(pageSize is >= 1 and <= 100, "pageSize", "Between 1 and 100.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var items = (await connection.QueryAsync<NeedCandidate>(new CommandDefinition(
            $"SELECT {Columns} FROM needs WHERE {OnMarket} ORDER BY published_at DESC, id LIMIT @pageSize OFFSET @offset",
            new { pageSize, offset = (page - 1) * pageSize }, cancellationToken: ct))).AsList();
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM needs WHERE {OnMarket}", cancellationToken: ct));
        return TypedResults.Ok(new NeedPage(items, total, page, pageSize));
    }

    private static async Task<Results<Ok<NeedCandidate>, ProblemHttpResult>> GetAsync(Guid id, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var item = await connection.QuerySingleOrDefaultAsync<NeedCandidate>(new CommandDefinition(
            $"SELECT {Columns} FROM needs WHERE id = @id", new { id }, cancellationToken: ct));
        return item is null
            ? TypedResults.Problem(statusCode: 404, title: "Not known to matchmaking (yet).", detail: $"Need {id} has not arrived; published needs appear within a second.")
            : TypedResults.Ok(item);
    }
}
