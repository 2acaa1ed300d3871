using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Messaging;

/// <summary>
/// Publishes outbox rows in order through MassTransit (publisher confirms are on: a publish completes when the broker
/// has the message) and marks them sent in the transaction that locked them. Rows are locked with SKIP LOCKED, so
/// several instances share the work; a crash between publish and commit re-publishes the row with the same message
/// id, which the consumers' inbox ignores. Wakes on NOTIFY, polls as a fallback.
/// </summary>
internal sealed class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly Meter meter = new("TransferHub.Messaging");
    private static readonly Counter<long> published = meter.CreateCounter<long>("transferhub.outbox.published");
    private static readonly Counter<long> failures = meter.CreateCounter<long>("transferhub.outbox.publish_failures");

    private readonly Channel<bool> wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private DateTimeOffset nextCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = ListenAsync(stoppingToken);
        var failuresInARow = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            int count;
            try
            {
                count = await PublishBatchAsync(stoppingToken);
                failuresInARow = 0;
                await CleanupAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failuresInARow++;
                failures.Add(1);
                var delay = TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, Math.Min(failuresInARow, 6))));
                logger.LogWarning(ex, "Outbox relay could not publish; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }
            if (count < options.Value.BatchSize)
            {
                await WaitForWorkAsync(stoppingToken);
            }
        }
        await listening.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.Value.PollInterval);
        try
        {
            await wakeUps.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // poll interval elapsed or stopping
        }
    }

    internal async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            SELECT id AS Id, message_type AS MessageType, body::text AS Body, correlation_id AS CorrelationId
            FROM messaging_outbox
            WHERE sent_at IS NULL AND NOT dead
            ORDER BY seq
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, new { limit = options.Value.BatchSize }, transaction, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            return 0;
        }

        var outcomes = await Task.WhenAll(rows.Select(row => PublishAsync(row, cancellationToken)));
        var sent = rows.Where((_, i) => outcomes[i] == Outcome.Sent).Select(r => r.Id).ToArray();
        var dead = rows.Where((_, i) => outcomes[i] == Outcome.Dead).Select(r => r.Id).ToArray();
        var failed = rows.Where((_, i) => outcomes[i] == Outcome.Failed).Select(r => r.Id).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE messaging_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY(@sent);
            UPDATE messaging_outbox SET dead = true, attempts = attempts + 1, last_error = 'message type cannot be resolved' WHERE id = ANY(@dead);
            UPDATE messaging_outbox SET attempts = attempts + 1, last_error = 'publish failed or timed out' WHERE id = ANY(@failed);
            """, new { sent, dead, failed }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        published.Add(sent.Length);
        if (failed.Length > 0)
        {
            throw new InvalidOperationException($"{failed.Length} of {rows.Count} outbox messages could not be published; the broker may be down.");
        }
        return rows.Count;
    }

    private async Task<Outcome> PublishAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        var type = Type.GetType(row.MessageType);
        if (type is null)
        {
            logger.LogError("Outbox message {Id} has unknown type {Type}; marked dead", row.Id, row.MessageType);
            return Outcome.Dead;
        }
        try
        {
            var message = JsonSerializer.Deserialize(row.Body, type, JsonDefaults.Web)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.PublishTimeout);
            await bus.Publish(message, type, context =>
            {
                context.MessageId = row.Id;
                context.Durable = true;
                if (row.CorrelationId is { } correlation)
                {
                    context.Headers.Set(Correlation.Header, correlation);
                }
            }, timeout.Token);
            return Outcome.Sent;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not JsonException)
        {
            logger.LogDebug(ex, "Publishing outbox message {Id} failed", row.Id);
            return Outcome.Failed;
        }
        catch (JsonException ex)
        {
            logger.LogError(ex, "Outbox message {Id} body does not deserialize as {Type}; marked dead", row.Id, row.MessageType);
            return Outcome.Dead;
        }
    }

    private async Task CleanupAsync(CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow < nextCleanup)
        {
            return;
        }
        nextCleanup = DateTimeOffset.UtcNow.AddMinutes(10);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM messaging_outbox WHERE sent_at < now() - @retention",
            new { retention = options.Value.Retention }, cancellationToken: cancellationToken));
    }

    /// <summary>LISTEN on the outbox channel; every commit that wrote an outbox row wakes the relay at once.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => wakeUps.Writer.TryWrite(true);
                await using (var listen = new NpgsqlCommand($"LISTEN {Outbox.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                wakeUps.Writer.TryWrite(true);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox LISTEN connection lost; polling every {Interval} until it is back", options.Value.PollInterval);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private enum Outcome { Sent, Failed, Dead }

    private sealed record OutboxRow(Guid Id, string MessageType, string Body, string? CorrelationId);
}
