using Dapper;
using Npgsql;
using TransferHub.Listing.Contracts;
using TransferHub.Messaging;

namespace TransferHub.Matchmaking.Api;

/// <summary>Keeps the need read model from listing's events; a write applies only when the event's version is newer.</summary>
internal static class NeedReadModel
{
    public static Task UpsertAsync(NpgsqlTransaction transaction, Guid id, Guid organisationId, int version, string status, NeedPublicData n,
        DateTimeOffset publishedAt, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO needs (id, organisation_id, version, status, title, summary, language, keywords, fields, trl_min, budget, currency,
                               deadline, country, anonymous, open_call, closes_on, published_at)
            VALUES (@id, @organisationId, @version, @status, @Title, @Summary, @Language, @keywords, @fields, @TrlMin, @Budget, @Currency,
                    CAST(@deadline AS date), @Country, @Anonymous, @OpenCall, CAST(@closesOn AS date), @publishedAt)
            ON CONFLICT (id) DO UPDATE SET
                version = excluded.version, status = excluded.status, title = excluded.title, summary = excluded.summary,
                language = excluded.language, keywords = excluded.keywords, fields = excluded.fields, trl_min = excluded.trl_min,
                budget = excluded.budget, currency = excluded.currency, deadline = excluded.deadline, country = excluded.country,
                anonymous = excluded.anonymous, open_call = excluded.open_call, closes_on = excluded.closes_on,
                received_at = clock_timestamp(), applied_events = needs.applied_events + 1
            WHERE needs.version < excluded.version
            """,
            new
            {
                id, organisationId, version, status, n.Title, n.Summary, n.Language, keywords = n.Keywords.ToArray(), fields = n.Fields.ToArray(),
                n.TrlMin, n.Budget, n.Currency, deadline = n.Deadline?.ToDateTime(TimeOnly.MinValue), n.Country, n.Anonymous, n.OpenCall,
                closesOn = n.ClosesOn?.ToDateTime(TimeOnly.MinValue), publishedAt,
            }, transaction, cancellationToken: ct));
}

public sealed class NeedPublishedConsumer(NpgsqlDataSource dataSource, ILogger<NeedPublishedConsumer> logger)
    : InboxConsumer<NeedPublished>(dataSource, logger)
{
    protected override Task HandleAsync(NeedPublished m, NpgsqlTransaction transaction, CancellationToken ct) =>
        NeedReadModel.UpsertAsync(transaction, m.NeedId, m.OrganisationId, m.Version, "published", m.Need, m.PublishedAt, ct);
}

public sealed class NeedUpdatedConsumer(NpgsqlDataSource dataSource, ILogger<NeedUpdatedConsumer> logger)
    : InboxConsumer<NeedUpdated>(dataSource, logger)
{
    protected override Task HandleAsync(NeedUpdated m, NpgsqlTransaction transaction, CancellationToken ct) =>
        NeedReadModel.UpsertAsync(transaction, m.NeedId, m.OrganisationId, m.Version, m.Status, m.Need, m.UpdatedAt, ct);
}

public sealed class NeedClosedConsumer(NpgsqlDataSource dataSource, ILogger<NeedClosedConsumer> logger)
    : InboxConsumer<NeedClosed>(dataSource, logger)
{
    protected override Task HandleAsync(NeedClosed m, NpgsqlTransaction transaction, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE needs SET status = @Reason, version = @Version, received_at = clock_timestamp(), applied_events = applied_events + 1
            WHERE id = @NeedId AND version < @Version
            """, new { m.Reason, m.Version, m.NeedId }, transaction, cancellationToken: ct));
}
