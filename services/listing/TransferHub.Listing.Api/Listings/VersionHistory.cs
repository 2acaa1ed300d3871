using System.Text.Json;
using Dapper;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Listings;

public sealed record VersionView(int Version, string Action, string Status, Guid? ActorUserId, Guid? ActorOrganisationId,
    string? Reason, bool ConfidentialChanged, DateTimeOffset At, JsonElement Snapshot);

/// <summary>
/// One row per version of a listing (<c>technology_versions</c>, <c>need_versions</c>): who did what, when, why, and the
/// listing as it was afterwards — always without its confidential detail (only whether that changed).
/// </summary>
internal sealed class VersionHistory(string table, string key)
{
    public static readonly VersionHistory Technologies = new("technology_versions", "technology_id");
    public static readonly VersionHistory Needs = new("need_versions", "need_id");

    public Task AddAsync(NpgsqlTransaction tx, Guid id, int version, string status, string action, Actor actor, string? reason,
        bool confidentialChanged, object snapshotWithoutConfidentialDetail, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO {table} ({key}, version, action, status, actor_user_id, actor_organisation_id, reason, confidential_changed, snapshot)
            VALUES (@id, @version, @action, @status, @userId, @organisationId, @reason, @confidentialChanged, CAST(@snapshot AS jsonb))
            """,
            new
            {
                id, version, action, status, userId = actor.UserId, organisationId = actor.OrganisationId, reason, confidentialChanged,
                snapshot = JsonSerializer.Serialize(snapshotWithoutConfidentialDetail, snapshotWithoutConfidentialDetail.GetType(), JsonDefaults.Web),
            }, tx, cancellationToken: ct));

    public async Task<IReadOnlyList<VersionView>> ListAsync(NpgsqlConnection connection, Guid id, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(int Version, string Action, string Status, Guid? ActorUserId, Guid? ActorOrganisationId,
            string? Reason, bool ConfidentialChanged, DateTimeOffset At, string Snapshot)>(new CommandDefinition(
            $"""
            SELECT version, action, status, actor_user_id, actor_organisation_id, reason, confidential_changed, at, snapshot::text
            FROM {table} WHERE {key} = @id ORDER BY version
            """, new { id }, cancellationToken: ct));
        return rows.Select(r => new VersionView(r.Version, r.Action, r.Status, r.ActorUserId, r.ActorOrganisationId, r.Reason,
            r.ConfidentialChanged, r.At, JsonDocument.Parse(r.Snapshot).RootElement.Clone())).ToList();
    }
}
