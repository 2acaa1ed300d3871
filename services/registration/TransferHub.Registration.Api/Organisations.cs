using System.Security.Claims;
using Dapper;
using Npgsql;
using TransferHub.Identity.Contracts;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api;

/// <summary>An organisation as registration knows it from identity's events: its locality decides the competent station.</summary>
public sealed record KnownOrganisation(Guid Id, string Name, string Type, string Country, string? RegionCode, string? LegalPersonNature, bool Verified);

public static class Organisations
{
    /// <summary>
    /// The caller's organisation as identity signed it into the access token (name, country, region, nature): the
    /// registrant's locality never depends on an event having arrived, nor on what the submitter types.
    /// </summary>
    public static KnownOrganisation? FromToken(ClaimsPrincipal user) =>
        user.OrganisationId() is { } id && user.OrganisationName() is { } name && user.OrganisationCountry() is { } country
            ? new KnownOrganisation(id, name, user.OrganisationType() ?? "", country, user.OrganisationRegion(), user.OrganisationNature(),
                user.OrganisationVerified())
            : null;

    /// <summary>Keeps the read model current with what the token says (names on queues and certificates come from it).</summary>
    public static Task RememberAsync(NpgsqlTransaction transaction, KnownOrganisation o, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO organisations (id, name, type, country, region_code, legal_person_nature, verified, updated_at)
            VALUES (@Id, @Name, @Type, @Country, @RegionCode, @LegalPersonNature, @Verified, now())
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, country = excluded.country,
                region_code = excluded.region_code, legal_person_nature = excluded.legal_person_nature,
                verified = organisations.verified OR excluded.verified, updated_at = now()
            WHERE (organisations.name, organisations.type, organisations.country, organisations.region_code, organisations.legal_person_nature,
                   organisations.verified)
                  IS DISTINCT FROM (excluded.name, excluded.type, excluded.country, excluded.region_code, excluded.legal_person_nature,
                   organisations.verified OR excluded.verified)
            """, o, transaction, cancellationToken: ct));

    public static Task<KnownOrganisation?> FindAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<KnownOrganisation>(new CommandDefinition(
            """
            SELECT id AS Id, name AS Name, type AS Type, country AS Country, region_code AS RegionCode,
                   legal_person_nature AS LegalPersonNature, verified AS Verified
            FROM organisations WHERE id = @id
            """, new { id }, transaction, cancellationToken: ct));
}

/// <summary>
/// Keeps the organisations read model. A registration-station organisation whose name is a station's (zh or en) becomes
/// that station's officers' organisation, unless the station already has one (a platform admin can rebind it).
/// </summary>
public sealed class OrganisationRegisteredConsumer(NpgsqlDataSource dataSource, ILogger<OrganisationRegisteredConsumer> logger)
    : InboxConsumer<OrganisationRegistered>(dataSource, logger)
{
    protected override async Task HandleAsync(OrganisationRegistered m, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO organisations (id, name, type, country, region_code, legal_person_nature, updated_at)
            VALUES (@OrganisationId, @Name, @Type, @Country, @RegionCode, @LegalPersonNature, @RegisteredAt)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, country = excluded.country,
                region_code = excluded.region_code, legal_person_nature = excluded.legal_person_nature, updated_at = excluded.updated_at
            """, m, transaction, cancellationToken: ct));
        if (m.Type != OrganisationTypes.RegistrationStation)
        {
            return;
        }
        var station = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            """
            UPDATE stations SET organisation_id = @OrganisationId
            WHERE organisation_id IS NULL AND (name_en = @Name OR name_zh = @Name)
              AND NOT EXISTS (SELECT 1 FROM stations WHERE organisation_id = @OrganisationId)
            RETURNING code
            """, m, transaction, cancellationToken: ct));
        logger.LogInformation(station is null
            ? "Station organisation {Organisation} ({Name}) matches no unbound station; a platform admin binds it with PUT /api/registrations/stations/{{code}}/organisation"
            : "Station organisation {Organisation} ({Name}) now staffs station {Station}", m.OrganisationId, m.Name, station);
    }
}

public sealed class OrganisationVerifiedConsumer(NpgsqlDataSource dataSource, ILogger<OrganisationVerifiedConsumer> logger)
    : InboxConsumer<OrganisationVerified>(dataSource, logger)
{
    protected override async Task HandleAsync(OrganisationVerified m, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var updated = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE organisations SET verified = true, updated_at = @VerifiedAt WHERE id = @OrganisationId", m, transaction, cancellationToken: ct));
        if (updated == 0)
        {
            // the registration has not arrived yet (redelivery reordered them): fail so the retry finds it
            throw new InvalidOperationException($"Organisation {m.OrganisationId} is verified but not yet known here; retrying.");
        }
    }
}
