using Dapper;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;
using TransferHub.Testing;

namespace TransferHub.Platform.Tests.Messages
{
    /// <summary>A test event (message types must live in a namespace).</summary>
    public sealed record Pinged(string Text);
}

namespace TransferHub.Platform.Tests
{
    using TransferHub.Platform.Tests.Messages;

    /// <summary>Writes one effect row per handled message, inside the inbox transaction.</summary>
    public sealed class PingedConsumer(NpgsqlDataSource dataSource, ILogger<PingedConsumer> logger) : InboxConsumer<Pinged>(dataSource, logger)
    {
        protected override Task HandleAsync(Pinged message, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
            transaction.Connection!.ExecuteAsync(new CommandDefinition(
                "INSERT INTO effects (text, correlation) VALUES (@Text, @correlation)",
                new { message.Text, correlation = Correlation.Current }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>A real host with AddPostgres + AddMessaging over the test PostgreSQL and its own RabbitMQ virtual host.</summary>
    public sealed class MessagingHost : IAsyncDisposable
    {
        private MessagingHost(IHost host, string database, string virtualHost, TestInfrastructure infrastructure)
        {
            Host = host;
            Database = database;
            VirtualHost = virtualHost;
            Infrastructure = infrastructure;
        }

        public IHost Host { get; }
        public string Database { get; }
        public string VirtualHost { get; }
        public TestInfrastructure Infrastructure { get; }
        public NpgsqlDataSource DataSource => Host.Services.GetRequiredService<NpgsqlDataSource>();
        public IBus Bus => Host.Services.GetRequiredService<IBus>();

        /// <summary>A new database and virtual host, or the given ones (a second host over the same data).</summary>
        public static async Task<MessagingHost> StartAsync(string? database = null, string? virtualHost = null)
        {
            var infrastructure = await TestInfrastructure.GetAsync();
            var suffix = Guid.NewGuid().ToString("N")[..10];
            database ??= "th_platform_" + suffix;
            var vhost = virtualHost ?? await infrastructure.CreateVirtualHostAsync("th-platform-" + suffix);
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Database"] = infrastructure.Database(database),
                ["RabbitMQ:Host"] = infrastructure.RabbitHost,
                ["RabbitMQ:Port"] = infrastructure.RabbitPort.ToString(),
                ["RabbitMQ:Username"] = infrastructure.RabbitUser,
                ["RabbitMQ:Password"] = infrastructure.RabbitPassword,
                ["RabbitMQ:VirtualHost"] = vhost,
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddPostgres(typeof(MessagingHost).Assembly);
            builder.AddMessaging("platform-tests", bus => bus.AddConsumer<PingedConsumer>());
            var host = builder.Build();
            await host.StartAsync();
            await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            return new MessagingHost(host, database, vhost, infrastructure);
        }

        public async Task<long> CountAsync(string sql, object? args = null)
        {
            await using var connection = await DataSource.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>(sql, args);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync();
            Host.Dispose();
        }
    }
}
