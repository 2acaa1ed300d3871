using TransferHub.ServiceDefaults;
using Dapper;
using Npgsql;

namespace TransferHub.Listing.Api.Listings;

internal static class ListingQueries
{
    /// <summary>One page of rows of <paramref name="table"/> and the total count for the same filter.</summary>
    public static async Task<PageOf<TView>> PageAsync<TRow, TView>(NpgsqlDataSource dataSource, string table, string columns, string where,
        string orderBy, DynamicParameters parameters, int page, int pageSize, Func<TRow, TView> map, CancellationToken ct)
    {
        parameters.Add("limit", pageSize);
        parameters.Add("offset", (page - 1) * pageSize);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<TRow>(new CommandDefinition(
            $"SELECT {columns} FROM {table} WHERE {where} ORDER BY {orderBy} LIMIT @limit OFFSET @offset", parameters, cancellationToken: ct));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM {table} WHERE {where}", parameters, cancellationToken: ct));
        return new PageOf<TView>(rows.Select(map).ToList(), total, page, pageSize);
    }
}
