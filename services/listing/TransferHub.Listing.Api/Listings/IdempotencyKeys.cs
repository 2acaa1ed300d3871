using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Listings;

/// <summary>
/// <c>Idempotency-Key</c> on creates: the first request with a key claims it for the resource it creates (in the same
/// transaction); a retry with the same body gets that resource again, a reuse with another body a 409.
/// </summary>
internal static class IdempotencyKeys
{
    public static bool IsValid(string? key) => key is null || (key.Length is > 0 and <= 100 && Correlation.IsValid(key));

    public const string Rule = "At most 100 letters, digits, '-', '_' or '.'.";

    /// <summary>The outcome of claiming a key: <see cref="Replay"/> is the earlier resource, <see cref="Conflict"/> the 409.</summary>
    public sealed record Claim(Guid? Replay, ProblemHttpResult? Conflict);

    public static async Task<Claim> ClaimAsync<TBody>(NpgsqlTransaction transaction, Guid userId, string? key, TBody body, Guid resourceId,
        CancellationToken ct)
    {
        if (key is null)
        {
            return new Claim(null, null);
        }
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body, JsonDefaults.Web));
        var connection = transaction.Connection!;
        var first = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO idempotency_keys (user_id, key, request_hash, resource_id) VALUES (@userId, @key, @hash, @resourceId)
            ON CONFLICT DO NOTHING
            """, new { userId, key, hash, resourceId }, transaction, cancellationToken: ct));
        if (first == 1)
        {
            return new Claim(null, null);
        }
        var earlier = await connection.QuerySingleAsync<(byte[] Hash, Guid ResourceId)>(new CommandDefinition(
            "SELECT request_hash, resource_id FROM idempotency_keys WHERE user_id = @userId AND key = @key",
            new { userId, key }, transaction, cancellationToken: ct));
        return earlier.Hash.AsSpan().SequenceEqual(hash)
            ? new Claim(earlier.ResourceId, null)
            : new Claim(null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key reused with another body.",
                detail: "This key was already used for a different request; use a new key for a new item.",
                extensions: new Dictionary<string, object?> { ["field"] = "Idempotency-Key" }));
    }
}
