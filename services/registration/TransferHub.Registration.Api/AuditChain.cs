using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api;

/// <summary>The first entry whose stored hashes do not match, or null when the whole chain holds.</summary>
public sealed record AuditVerification(long Entries, bool Intact, long? FirstBrokenSeq, string? Problem);

public sealed record AuditEntry(long Seq, string Action, Guid? Actor, DateTimeOffset At, JsonElement Data);

/// <summary>
/// A tamper-evident log of every state change: entry n's hash is SHA-256 over entry n−1's hash and entry n's own fields,
/// so changing, deleting or reordering any row breaks every link after it. Appends are serialised by a transaction-level
/// advisory lock, taken in the same transaction as the change they record.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Takes the chain's lock (until the transaction ends) and reads its last entry; one round trip.</summary>
    public const string LockAndTipSql = "SELECT pg_advisory_xact_lock(90520614925636); SELECT seq AS Seq, hash AS Hash FROM audit_log ORDER BY seq DESC LIMIT 1;";

    /// <summary>Inserts the entry made by <see cref="Prepare"/> (parameters prefixed <c>audit</c>, so it batches with other statements).</summary>
    public const string InsertSql = """
        INSERT INTO audit_log (seq, submission_id, action, actor, at, data, prev_hash, hash)
        VALUES (@auditSeq, @auditSubmission, @auditAction, @auditActor, @auditAt, @auditData, @auditPrev, @auditHash);
        """;

    public static async Task AppendAsync(NpgsqlTransaction transaction, Guid submissionId, string action, Guid? actor, DateTimeOffset at,
        object data, CancellationToken ct)
    {
        var tip = await LockAndTipAsync(transaction, ct);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(InsertSql, Prepare(tip, submissionId, action, actor, at, data), transaction,
            cancellationToken: ct));
    }

    public static async Task<Tip?> LockAndTipAsync(NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var results = await transaction.Connection!.QueryMultipleAsync(new CommandDefinition(LockAndTipSql, transaction: transaction,
            cancellationToken: ct));
        await results.ReadAsync();
        return await results.ReadSingleOrDefaultAsync<Tip>();
    }

    /// <summary>The next entry after <paramref name="tip"/> (null: the chain is empty), as parameters for <see cref="InsertSql"/>.</summary>
    public static DynamicParameters Prepare(Tip? tip, Guid submissionId, string action, Guid? actor, DateTimeOffset at, object data)
    {
        var seq = (tip?.Seq ?? 0) + 1;
        var prev = tip?.Hash ?? Genesis;
        var when = Truncate(at);
        var text = JsonSerializer.Serialize(data, JsonDefaults.Web);
        return new DynamicParameters(new
        {
            auditSeq = seq, auditSubmission = submissionId, auditAction = action, auditActor = actor, auditAt = when, auditData = text,
            auditPrev = prev, auditHash = Hash(prev, seq, submissionId, action, actor, when, text),
        });
    }

    /// <summary>Walks the chain in order and reports the first entry that does not hold.</summary>
    public static async Task<AuditVerification> VerifyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var expectedPrev = Genesis;
        long expectedSeq = 1, count = 0;
        await using var command = new NpgsqlCommand(
            "SELECT seq, submission_id, action, actor, at, data, prev_hash, hash FROM audit_log ORDER BY seq", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            count++;
            var seq = reader.GetInt64(0);
            var actor = reader.IsDBNull(3) ? (Guid?)null : reader.GetGuid(3);
            var at = DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc);
            var (prev, hash) = (reader.GetString(6), reader.GetString(7));
            var problem = seq != expectedSeq ? $"entry {expectedSeq} is missing (found {seq} next)"
                : prev != expectedPrev ? $"entry {seq} does not link to the hash of entry {seq - 1}"
                : hash != Hash(prev, seq, reader.GetGuid(1), reader.GetString(2), actor, at, reader.GetString(5)) ? $"entry {seq} was changed after it was written"
                : null;
            if (problem is not null)
            {
                return new AuditVerification(count, false, Math.Min(seq, expectedSeq), problem);
            }
            expectedPrev = hash;
            expectedSeq = seq + 1;
        }
        return new AuditVerification(count, true, null, null);
    }

    /// <summary>
    /// The verify command: <c>TransferHub.Registration.Api verify-audit</c> with <c>ConnectionStrings__Database</c> set
    /// (or <c>--ConnectionStrings:Database=…</c>). Prints the result; exit code 0 when the chain holds, 1 when it is
    /// broken, 2 when it cannot be read.
    /// </summary>
    public static async Task<int> VerifyCommandAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args[1..]).Build();
        var connectionString = configuration.GetConnectionString("Database");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("verify-audit: set ConnectionStrings__Database to the registration database, e.g. " +
                "'Host=127.0.0.1;Port=55432;Username=postgres;Database=th_registration'.");
            return 2;
        }
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var result = await VerifyAsync(connection, CancellationToken.None);
            Console.WriteLine(result.Intact
                ? $"audit chain intact: {result.Entries} entries"
                : $"audit chain BROKEN at entry {result.FirstBrokenSeq}: {result.Problem} ({result.Entries} entries read)");
            return result.Intact ? 0 : 1;
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"verify-audit: cannot read the audit log: {e.Message}");
            return 2;
        }
    }

    public static async Task<IReadOnlyList<AuditEntry>> HistoryAsync(NpgsqlConnection connection, Guid submissionId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(long Seq, string Action, Guid? Actor, DateTime At, string Data)>(new CommandDefinition(
            "SELECT seq, action, actor, at, data FROM audit_log WHERE submission_id = @submissionId ORDER BY seq",
            new { submissionId }, cancellationToken: ct));
        return rows.Select(r => new AuditEntry(r.Seq, r.Action, r.Actor, new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)),
            JsonDocument.Parse(r.Data).RootElement.Clone())).ToList();
    }

    /// <summary>PostgreSQL keeps microseconds: hash what will be read back.</summary>
    private static DateTime Truncate(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
    }

    private static string Hash(string prev, long seq, Guid submissionId, string action, Guid? actor, DateTime at, string data)
    {
        var text = string.Join('\n', prev, seq.ToString(CultureInfo.InvariantCulture), submissionId.ToString("D"), action,
            actor?.ToString("D") ?? "-", at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture), data);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The last entry of the chain.</summary>
    public sealed record Tip(long Seq, string Hash);
}
