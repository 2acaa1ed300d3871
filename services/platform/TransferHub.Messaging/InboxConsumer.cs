using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Messaging;

/// <summary>
/// Base for consumers with an effect in the service's database: the message id goes into the inbox in the same
/// transaction as the effect, so a redelivered message (after a crash, a lost ack or a re-published outbox row)
/// changes nothing the second time.
/// </summary>
public abstract class InboxConsumer<T>(NpgsqlDataSource dataSource, ILogger logger) : IConsumer<T>
    where T : class
{
    public async Task Consume(ConsumeContext<T> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(T).Name} arrived without a message id; the inbox cannot deduplicate it.");
        var previous = Correlation.Current;
        Correlation.Current = context.Headers.Get<string>(Correlation.Header) ?? previous;
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["CorrelationId"] = Correlation.Current, ["MessageId"] = messageId });
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
            var first = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO messaging_inbox (message_id, consumer, message_type) VALUES (@messageId, @consumer, @type)
                ON CONFLICT DO NOTHING
                """,
                new { messageId, consumer = GetType().Name, type = typeof(T).Name }, transaction,
                cancellationToken: context.CancellationToken));
            if (first == 0)
            {
                logger.LogInformation("{Message} {MessageId} was already handled by {Consumer}; ignored", typeof(T).Name, messageId, GetType().Name);
                return;
            }
            await HandleAsync(context.Message, transaction, context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
        }
        finally
        {
            Correlation.Current = previous;
        }
    }

    /// <summary>The effect of the message, inside the inbox transaction.</summary>
    protected abstract Task HandleAsync(T message, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}
