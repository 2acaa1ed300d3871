using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Matchmaking.Api;

public sealed record ReadModelPage<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize);

/// <summary>List (items on the market, newest first) and get-by-id over one read-model table, for any authenticated caller.</summary>
internal sealed record ReadModel<T>(string Path, string Tag, string Table, string Columns, string Noun)
{
    private const string OnMarket = "status IN ('published', 'under-negotiation')";

    public void Map(WebApplication app)
    {
        var group = app.MapGroup(Path).WithTags(Tag).RequireAuthorization(AuthPolicies.Authenticated);
        group.MapGet("/", ListAsync).WithSummary($"{Tag} on the market (published or under negotiation) known to matchmaking, newest first.");
        group.MapGet("/{id:guid}", GetAsync).WithSummary($"One {Noun} as matchmaking knows it, in any state it reached (closed ones included).");
    }

    private async Task<Results<Ok<ReadModelPage<T>>, ValidationProblem>> ListAsync(NpgsqlDataSource dataSource, CancellationToken ct,
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
        var items = (await connection.QueryAsync<T>(new CommandDefinition(
            $"SELECT {Columns} FROM {Table} WHERE {OnMarket} ORDER BY published_at DESC, id LIMIT @pageSize OFFSET @offset",
            new { pageSize, offset = (page - 1) * pageSize }, cancellationToken: ct))).AsList();
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM {Table} WHERE {OnMarket}", cancellationToken: ct));
        return TypedResults.Ok(new ReadModelPage<T>(items, total, page, pageSize));
    }

    private async Task<Results<Ok<T>, ProblemHttpResult>> GetAsync(Guid id, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var item = await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(
            $"SELECT {Columns} FROM {Table} WHERE id = @id", new { id }, cancellationToken: ct));
        return item is null
            ? TypedResults.Problem(statusCode: 404, title: "Not known to matchmaking (yet).",
                detail: $"The {Noun} {id} has not arrived; published {Noun} listings appear within a second.")
            : TypedResults.Ok(item);
    }
}
