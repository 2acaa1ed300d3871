using System.Text.Json;
using Dapper;
using MassTransit;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Messaging;

/// <summary>
/// Writes integration events into the outbox table inside the caller's transaction, so the event exists if and only if
/// the change it announces was committed. A NOTIFY in the same transaction wakes the relay at commit.
/// </summary>
public static class Outbox
{
    public const string Channel = "messaging_outbox";

    public static Task<Guid> AddAsync<T>(NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class
        => AddAsync(transaction, message, typeof(T), cancellationToken);

    public static async Task<Guid> AddAsync(NpgsqlTransaction transaction, object message, Type messageType, CancellationToken cancellationToken = default)
    {
        var id = NewId.NextSequentialGuid();
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction is no longer open.");
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO messaging_outbox (id, message_type, body, correlation_id)
            VALUES (@id, @type, CAST(@body AS jsonb), @correlation);
            SELECT pg_notify(@channel, '');
            """,
            new
            {
                id,
                type = TypeName(messageType),
                body = JsonSerializer.Serialize(message, messageType, JsonDefaults.Web),
                correlation = Correlation.Current,
                channel = Channel,
            },
            transaction, cancellationToken: cancellationToken));
        return id;
    }

    /// <summary>Type name without version, so a redeployed producer still resolves rows written before.</summary>
    public static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
