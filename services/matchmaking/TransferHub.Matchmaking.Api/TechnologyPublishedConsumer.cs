using Dapper;
using Npgsql;
using TransferHub.Listing.Contracts;
using TransferHub.Messaging;

namespace TransferHub.Matchmaking.Api;

/// <summary>Keeps the technology read model; an event older than the stored version changes nothing.</summary>
public sealed class TechnologyPublishedConsumer(NpgsqlDataSource dataSource, ILogger<TechnologyPublishedConsumer> logger)
    : InboxConsumer<TechnologyPublished>(dataSource, logger)
{
    protected override Task HandleAsync(TechnologyPublished message, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO technologies (id, organisation_id, version, title, summary, language, keywords, trl, published_at)
            VALUES (@TechnologyId, @OrganisationId, @Version, @Title, @Summary, @Language, @keywords, @Trl, @PublishedAt)
            ON CONFLICT (id) DO UPDATE SET
                organisation_id = excluded.organisation_id, version = excluded.version, title = excluded.title,
                summary = excluded.summary, language = excluded.language, keywords = excluded.keywords, trl = excluded.trl,
                published_at = excluded.published_at, received_at = clock_timestamp(),
                applied_events = technologies.applied_events + 1
            WHERE technologies.version < excluded.version
            """,
            new
            {
                message.TechnologyId, message.OrganisationId, message.Version, message.Title, message.Summary, message.Language,
                keywords = message.Keywords.ToArray(), message.Trl, message.PublishedAt,
            }, transaction, cancellationToken: cancellationToken));
}
