using Dapper;
using MassTransit;
using TransferHub.Messaging;
using TransferHub.Platform.Tests.Messages;
using TransferHub.ServiceDefaults;
using TransferHub.Testing;

namespace TransferHub.Platform.Tests;

public sealed class OutboxInboxTests : IAsyncLifetime
{
    private MessagingHost host = null!;

    public async Task InitializeAsync() => host = await MessagingHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_committed_outbox_row_is_published_once_with_its_id_and_correlation_and_marked_sent()
    {
        Guid id;
        Correlation.Current = "corr-outbox-1";
        await using (var connection = await host.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            id = await Outbox.AddAsync(transaction, new Pinged("committed"));
            await transaction.CommitAsync();
        }
        Correlation.Current = null;

        await Eventually.TrueAsync(async () => await host.CountAsync("SELECT count(*) FROM effects WHERE text = 'committed'") == 1,
            TimeSpan.FromSeconds(20), "the consumer handles the committed message");
        await Eventually.TrueAsync(async () => await host.CountAsync("SELECT count(*) FROM messaging_outbox WHERE id = @id AND sent_at IS NOT NULL", new { id }) == 1,
            TimeSpan.FromSeconds(10), "the relay marks the row sent");
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM messaging_inbox WHERE message_id = @id", new { id }));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM effects WHERE correlation = 'corr-outbox-1'"));
    }

    [Fact]
    public async Task A_rolled_back_change_publishes_nothing()
    {
        await using (var connection = await host.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Outbox.AddAsync(transaction, new Pinged("rolled back"));
            await transaction.RollbackAsync();
        }
        await using (var connection = await host.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Outbox.AddAsync(transaction, new Pinged("marker after rollback"));
            await transaction.CommitAsync();
        }
        await Eventually.TrueAsync(async () => await host.CountAsync("SELECT count(*) FROM effects WHERE text = 'marker after rollback'") == 1,
            TimeSpan.FromSeconds(20), "the later message arrives");
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM effects WHERE text = 'rolled back'"));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM messaging_outbox WHERE body->>'text' = 'rolled back'"));
    }

    [Fact]
    public async Task A_redelivered_message_changes_nothing_the_second_time()
    {
        var id = NewId.NextGuid();
        for (var i = 0; i < 3; i++)
        {
            await host.Bus.Publish(new Pinged("redelivered"), context => context.MessageId = id);
        }
        await host.Bus.Publish(new Pinged("marker after redeliveries"));
        await Eventually.TrueAsync(async () => await host.CountAsync("SELECT count(*) FROM effects WHERE text = 'marker after redeliveries'") == 1,
            TimeSpan.FromSeconds(20), "the marker arrives after the three copies");
        await Eventually.TrueAsync(async () => await host.CountAsync("SELECT count(*) FROM messaging_inbox WHERE message_id = @id", new { id }) == 1,
            TimeSpan.FromSeconds(10), "the inbox holds the id once");
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM effects WHERE text = 'redelivered'"));
    }

    [Fact]
    public async Task Rows_written_while_no_relay_runs_are_published_when_one_starts()
    {
        // The service stops; rows written meanwhile wait in the outbox; a new instance on the same database publishes them.
        await host.DisposeAsync();
        await using (var connection = new Npgsql.NpgsqlConnection(host.Infrastructure.Database(host.Database)))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            for (var i = 0; i < 25; i++)
            {
                await Outbox.AddAsync(transaction, new Pinged("waiting " + i));
            }
            await transaction.CommitAsync();
            Assert.Equal(25, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM messaging_outbox WHERE sent_at IS NULL"));
        }
        host = await MessagingHost.StartAsync(host.Database, host.VirtualHost);
        await Eventually.TrueAsync(async () => await host.CountAsync("SELECT count(*) FROM effects WHERE text LIKE 'waiting %'") == 25,
            TimeSpan.FromSeconds(30), "all 25 waiting rows are published after the restart");
        Assert.Equal(25, await host.CountAsync("SELECT count(DISTINCT text) FROM effects WHERE text LIKE 'waiting %'"));
    }
}
