using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Matchmaking.Api;

public sealed record TechnologyCandidate(Guid Id, Guid OrganisationId, string Title, string Summary, string Language, string[] Keywords,
    int? Trl, string Status, string[] Fields, int Version, DateTimeOffset PublishedAt, DateTimeOffset ReceivedAt, int AppliedEvents);

public sealed record CandidatePage(IReadOnlyList<TechnologyCandidate> Items, long Total, int Page, int PageSize);

public static class TechnologyReadModelEndpoints
{
    private const string Columns = """
        id AS Id, organisation_id AS OrganisationId, title AS Title, summary AS Summary, language AS Language, keywords AS Keywords,
        trl AS Trl, status AS Status, fields AS Fields, version AS Version, published_at AS PublishedAt, received_at AS ReceivedAt, applied_events AS AppliedEvents
        """;

    public static WebApplication MapTechnologyReadModelEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/matches/technologies").WithTags("Technologies").RequireAuthorization(AuthPolicies.Authenticated);
        group.MapGet("/", ListAsync).WithSummary("Technologies on the market (published or under negotiation) known to matchmaking, newest first.");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("One technology as matchmaking knows it, in any state it reached (withdrawn, transferred, expired included).");
        return app;
    }

    private static async Task<Results<Ok<CandidatePage>, ValidationProblem>> ListAsync(NpgsqlDataSource dataSource, CancellationToken ct,
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
        var items = (await connection.QueryAsync<TechnologyCandidate>(new CommandDefinition(
            $"SELECT {Columns} FROM technologies WHERE status IN ('published', 'under-negotiation') ORDER BY published_at DESC, id LIMIT @pageSize OFFSET @offset",
            new { pageSize, offset = (page - 1) * pageSize }, cancellationToken: ct))).AsList();
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM technologies WHERE status IN ('published', 'under-negotiation')", cancellationToken: ct));
        return TypedResults.Ok(new CandidatePage(items, total, page, pageSize));
    }

    private static async Task<Results<Ok<TechnologyCandidate>, ProblemHttpResult>> GetAsync(Guid id, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var item = await connection.QuerySingleOrDefaultAsync<TechnologyCandidate>(new CommandDefinition(
            $"SELECT {Columns} FROM technologies WHERE id = @id", new { id }, cancellationToken: ct));
        return item is null
            ? TypedResults.Problem(statusCode: 404, title: "Not known to matchmaking (yet).", detail: $"Technology {id} has not arrived; published technologies appear within a second.")
            : TypedResults.Ok(item);
    }
}
