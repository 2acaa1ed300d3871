using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.Experts.Contracts;
using TransferHub.Messaging;
using TransferHub.Registration.Api.Submissions;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api;

/// <summary>An expert who could review a case, or why not: same organisation as a party, or a declared conflict.</summary>
public sealed record ExpertCandidate(Guid Id, string Name, string? OrganisationName, string Country, string[] Fields, bool Available,
    bool FieldMatches, string? Conflict);

public sealed class ExpertRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public Guid? OrganisationId { get; init; }
    public string? OrganisationName { get; init; }
    public string Country { get; init; } = "";
    public string[] Fields { get; init; } = [];
    public bool Available { get; init; }
    public Guid[] DeclaredConflicts { get; init; } = [];
}

/// <summary>
/// Reviewers for expert review come from the experts service's profiles (read model), never with a conflict of interest:
/// an expert of the registrant's or another party's organisation, or one who declared a conflict with either, is excluded.
/// </summary>
public static class ExpertSelection
{
    public static async Task<IReadOnlyList<ExpertCandidate>> CandidatesAsync(NpgsqlConnection connection, SubmissionRow row, NpgsqlTransaction? transaction,
        CancellationToken ct)
    {
        var experts = await connection.QueryAsync<ExpertRow>(new CommandDefinition(
            """
            SELECT id AS Id, name AS Name, organisation_id AS OrganisationId, organisation_name AS OrganisationName, country AS Country,
                   fields AS Fields, available AS Available, declared_conflicts AS DeclaredConflicts
            FROM experts ORDER BY name, id
            """, transaction: transaction, cancellationToken: ct));
        var parties = Parties(row);
        return experts
            .Select(e => new ExpertCandidate(e.Id, e.Name, e.OrganisationName, e.Country, e.Fields, e.Available, e.Fields.Contains(row.Field),
                ConflictOf(e, parties)))
            .OrderBy(c => c.Conflict is not null).ThenBy(c => !c.Available).ThenBy(c => !c.FieldMatches).ThenBy(c => c.Name)
            .ToList();
    }

    public static string? ConflictOf(ExpertRow expert, IReadOnlySet<Guid> parties) =>
        expert.OrganisationId is { } organisation && parties.Contains(organisation)
            ? "works for a party's organisation"
            : expert.DeclaredConflicts.Any(parties.Contains) ? "declared a conflict of interest with a party" : null;

    /// <summary>The organisations of the case: the registrant and every party known by id.</summary>
    public static IReadOnlySet<Guid> Parties(SubmissionRow row) =>
        row.Content.Parties.Where(p => p.OrganisationId is not null).Select(p => p.OrganisationId!.Value).Append(row.RegistrantOrgId).ToHashSet();

    public static WebApplication MapExpertSelectionEndpoints(this WebApplication app)
    {
        app.MapGet(SubmissionEndpoints.Base + "/{id:guid}/expert-candidates", CandidatesEndpointAsync).RequireAuthorization(Roles.StationOfficer)
            .WithTags("Station desk")
            .WithSummary("Experts who could review the case (field match and availability first), and those excluded with the conflict.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<ExpertCandidate>>, ProblemHttpResult>> CandidatesEndpointAsync(Guid id, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await SubmissionStore.LoadAsync(connection, id, null, ct);
        if (row is null || row.StationCode is null || await Stations.OfOfficerAsync(connection, user, null, ct) != row.StationCode)
        {
            return HttpConventions.NotFound("submission", id);
        }
        return TypedResults.Ok(await CandidatesAsync(connection, row, null, ct));
    }
}

/// <summary>Keeps the experts read model; a stale version (redelivered or reordered) changes nothing.</summary>
public sealed class ExpertProfileUpdatedConsumer(NpgsqlDataSource dataSource, ILogger<ExpertProfileUpdatedConsumer> logger)
    : InboxConsumer<ExpertProfileUpdated>(dataSource, logger)
{
    protected override Task HandleAsync(ExpertProfileUpdated m, NpgsqlTransaction transaction, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO experts (id, version, name, organisation_id, organisation_name, country, fields, languages, available, declared_conflicts, updated_at)
            VALUES (@ExpertId, @Version, @Name, @OrganisationId, @OrganisationName, @Country, @fields, @languages, @Available, @conflicts, @UpdatedAt)
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, name = excluded.name, organisation_id = excluded.organisation_id,
                organisation_name = excluded.organisation_name, country = excluded.country, fields = excluded.fields,
                languages = excluded.languages, available = excluded.available, declared_conflicts = excluded.declared_conflicts,
                updated_at = excluded.updated_at
            WHERE experts.version < excluded.version
            """,
            new
            {
                m.ExpertId, m.Version, m.Name, m.OrganisationId, m.OrganisationName, m.Country, fields = m.Fields.ToArray(),
                languages = m.Languages.ToArray(), m.Available, conflicts = m.DeclaredConflictOrganisationIds.ToArray(), m.UpdatedAt,
            }, transaction, cancellationToken: ct));
}

public sealed class ExpertAvailabilityChangedConsumer(NpgsqlDataSource dataSource, ILogger<ExpertAvailabilityChangedConsumer> logger)
    : InboxConsumer<ExpertAvailabilityChanged>(dataSource, logger)
{
    protected override Task HandleAsync(ExpertAvailabilityChanged m, NpgsqlTransaction transaction, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE experts SET available = @Available, version = @Version, updated_at = @ChangedAt WHERE id = @ExpertId AND version < @Version",
            m, transaction, cancellationToken: ct));
}
