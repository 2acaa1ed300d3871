using Dapper;
using Npgsql;
using TransferHub.Listing.Contracts;
using TransferHub.Messaging;

namespace TransferHub.Matchmaking.Api;

/// <summary>
/// Keeps the technology read model from listing's events. Every write is conditional on the event's version being newer
/// than the stored one, so a late or redelivered event changes nothing.
/// </summary>
internal static class TechnologyReadModel
{
    public static Task UpsertAsync(NpgsqlTransaction transaction, Guid id, Guid organisationId, int version, string status,
        TechnologyPublicData t, DateTimeOffset publishedAt, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO technologies (id, organisation_id, version, status, title, summary, language, keywords, trl, fields,
                                      transfer_modes, target_countries, pricing_mode, published_at)
            VALUES (@id, @organisationId, @version, @status, @Title, @Summary, @Language, @keywords, @Trl, @fields,
                    @transferModes, @targetCountries, @PricingMode, @publishedAt)
            ON CONFLICT (id) DO UPDATE SET
                organisation_id = excluded.organisation_id, version = excluded.version, status = excluded.status,
                title = excluded.title, summary = excluded.summary, language = excluded.language, keywords = excluded.keywords,
                trl = excluded.trl, fields = excluded.fields, transfer_modes = excluded.transfer_modes,
                target_countries = excluded.target_countries, pricing_mode = excluded.pricing_mode,
                received_at = clock_timestamp(), applied_events = technologies.applied_events + 1
            WHERE technologies.version < excluded.version
            """,
            new
            {
                id, organisationId, version, status, t.Title, t.Summary, t.Language, keywords = t.Keywords.ToArray(), t.Trl,
                fields = t.Fields.ToArray(), transferModes = t.TransferModes.ToArray(), targetCountries = t.TargetCountries.ToArray(),
                t.PricingMode, publishedAt,
            }, transaction, cancellationToken: ct));

    public static Task SetStatusAsync(NpgsqlTransaction transaction, Guid id, int version, string status, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE technologies SET status = @status, version = @version, received_at = clock_timestamp(),
                                    applied_events = applied_events + 1
            WHERE id = @id AND version < @version
            """, new { id, version, status }, transaction, cancellationToken: ct));
}

public sealed class TechnologyPublishedConsumer(NpgsqlDataSource dataSource, ILogger<TechnologyPublishedConsumer> logger)
    : InboxConsumer<TechnologyPublished>(dataSource, logger)
{
    protected override Task HandleAsync(TechnologyPublished m, NpgsqlTransaction transaction, CancellationToken ct) =>
        TechnologyReadModel.UpsertAsync(transaction, m.TechnologyId, m.OrganisationId, m.Version, "published", m.Technology, m.PublishedAt, ct);
}

public sealed class TechnologyUpdatedConsumer(NpgsqlDataSource dataSource, ILogger<TechnologyUpdatedConsumer> logger)
    : InboxConsumer<TechnologyUpdated>(dataSource, logger)
{
    protected override Task HandleAsync(TechnologyUpdated m, NpgsqlTransaction transaction, CancellationToken ct) =>
        TechnologyReadModel.UpsertAsync(transaction, m.TechnologyId, m.OrganisationId, m.Version, m.Status, m.Technology, m.UpdatedAt, ct);
}

public sealed class TechnologyWithdrawnConsumer(NpgsqlDataSource dataSource, ILogger<TechnologyWithdrawnConsumer> logger)
    : InboxConsumer<TechnologyWithdrawn>(dataSource, logger)
{
    protected override Task HandleAsync(TechnologyWithdrawn m, NpgsqlTransaction transaction, CancellationToken ct) =>
        TechnologyReadModel.SetStatusAsync(transaction, m.TechnologyId, m.Version, m.Reason == "expired" ? "expired" : "withdrawn", ct);
}

public sealed class TechnologyTransferredConsumer(NpgsqlDataSource dataSource, ILogger<TechnologyTransferredConsumer> logger)
    : InboxConsumer<TechnologyTransferred>(dataSource, logger)
{
    protected override Task HandleAsync(TechnologyTransferred m, NpgsqlTransaction transaction, CancellationToken ct) =>
        TechnologyReadModel.SetStatusAsync(transaction, m.TechnologyId, m.Version, "transferred", ct);
}
