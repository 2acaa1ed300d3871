using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace TransferHub.Identity.Api;

public sealed record UserAccount(Guid Id, string Email, string DisplayName, string PasswordHash, int FailedLogins, DateTimeOffset? LockedUntil);

public sealed record Membership(Guid OrganisationId, string OrganisationName, string OrganisationType, string Role, bool Verified,
    string Country, string? RegionCode, string? LegalPersonNature);

public sealed record RefreshTokenRow(Guid Id, Guid UserId, Guid FamilyId, DateTimeOffset ExpiresAt, DateTimeOffset? ReplacedAt, DateTimeOffset? RevokedAt);

/// <summary>SQL for accounts, memberships and refresh tokens.</summary>
public sealed class AccountStore(NpgsqlDataSource dataSource)
{
    private const string UserColumns =
        "id AS Id, email AS Email, display_name AS DisplayName, password_hash AS PasswordHash, failed_logins AS FailedLogins, locked_until AS LockedUntil";

    public async Task<UserAccount?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserAccount>(new CommandDefinition(
            $"SELECT {UserColumns} FROM users WHERE lower(email) = lower(@email)", new { email }, cancellationToken: ct));
    }

    public async Task<UserAccount?> FindByIdAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserAccount>(new CommandDefinition(
            $"SELECT {UserColumns} FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Membership>> MembershipsAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Membership>(new CommandDefinition(
            """
            SELECT o.id AS OrganisationId, o.name AS OrganisationName, o.type AS OrganisationType, m.role AS Role,
                   o.verified_at IS NOT NULL AS Verified, o.country AS Country, o.region_code AS RegionCode,
                   o.legal_person_nature AS LegalPersonNature
            FROM memberships m JOIN organisations o ON o.id = m.organisation_id
            WHERE m.user_id = @userId
            ORDER BY m.created_at, m.role
            """, new { userId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Counts a failed login atomically and locks the account when the limit is reached.</summary>
    public async Task RecordFailedLoginAsync(Guid userId, int maxFailures, TimeSpan lockout, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE users SET
                failed_logins = CASE WHEN failed_logins + 1 >= @maxFailures THEN 0 ELSE failed_logins + 1 END,
                locked_until  = CASE WHEN failed_logins + 1 >= @maxFailures THEN now() + @lockout ELSE locked_until END
            WHERE id = @userId
            """, new { userId, maxFailures, lockout }, cancellationToken: ct));
    }

    public async Task RecordSuccessfulLoginAsync(Guid userId, string? rehashedPassword, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, password_hash = COALESCE(@rehashedPassword, password_hash) WHERE id = @userId",
            new { userId, rehashedPassword }, cancellationToken: ct));
    }

    /// <summary>Creates a refresh token in a family (a new family at login) and returns its opaque value.</summary>
    public async Task<string> IssueRefreshTokenAsync(Guid userId, Guid familyId, TimeSpan lifetime, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var sql = """
            INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at)
            VALUES (@id, @userId, @familyId, @hash, now() + @lifetime)
            """;
        var args = new { id = Guid.NewGuid(), userId, familyId, hash = Hash(value), lifetime };
        if (transaction is not null)
        {
            await transaction.Connection!.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct));
        }
        else
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
        }
        return value;
    }

    /// <summary>
    /// Rotates a refresh token: the presented token is marked replaced and a new one in the same family is returned.
    /// A token presented twice (stolen and replayed) revokes the whole family. Null when the token is not usable.
    /// </summary>
    public async Task<(Guid UserId, string Token)?> RotateRefreshTokenAsync(string presented, TimeSpan lifetime, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<RefreshTokenRow>(new CommandDefinition(
            """
            SELECT id AS Id, user_id AS UserId, family_id AS FamilyId, expires_at AS ExpiresAt, replaced_at AS ReplacedAt, revoked_at AS RevokedAt
            FROM refresh_tokens WHERE token_hash = @hash FOR UPDATE
            """, new { hash = Hash(presented) }, transaction, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        if (row.ReplacedAt is not null || row.RevokedAt is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE refresh_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE family_id = @familyId",
                new { row.FamilyId }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            return null;
        }
        if (row.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET replaced_at = now() WHERE id = @id", new { row.Id }, transaction, cancellationToken: ct));
        var next = await IssueRefreshTokenAsync(row.UserId, row.FamilyId, lifetime, transaction, ct);
        await transaction.CommitAsync(ct);
        return (row.UserId, next);
    }

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
}
