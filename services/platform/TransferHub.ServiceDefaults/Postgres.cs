using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;

namespace TransferHub.ServiceDefaults;

/// <summary>The assemblies whose embedded <c>Migrations/*.sql</c> scripts run, in this order, at start-up.</summary>
public sealed class MigrationOptions
{
    public List<Assembly> Assemblies { get; } = [];
}

public static class PostgresExtensions
{
    /// <summary>
    /// The service's own database: an <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:Database</c>, a readiness
    /// check, and DbUp migrations (numbered SQL scripts embedded under <c>Migrations/</c>) run before the service starts.
    /// The database is created when missing.
    /// </summary>
    public static IHostApplicationBuilder AddPostgres(this IHostApplicationBuilder builder, Assembly migrations)
    {
        var connectionString = builder.Configuration.GetConnectionString("Database");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:Database is not set. Set ConnectionStrings__Database, e.g. " +
                "'Host=127.0.0.1;Port=55432;Username=postgres;Database=th_listing' (deploy/up.sh does this).");
        }
        DapperDefaults.Register();
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.Configure<MigrationOptions>(o => o.Assemblies.Insert(0, migrations));
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [HealthTags.Ready]);
        return builder;
    }
}

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer: " + ex.Message);
        }
    }
}

/// <summary>Creates the database if missing and runs pending scripts, retrying while PostgreSQL starts.</summary>
internal sealed class DatabaseMigrator(IConfiguration configuration, IOptions<MigrationOptions> options, ILogger<DatabaseMigrator> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>().Handle<TimeoutException>(),
                MaxRetryAttempts = 10,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = a =>
                {
                    logger.LogWarning("PostgreSQL not reachable yet (attempt {Attempt}): {Error}", a.AttemptNumber + 1, a.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        await pipeline.ExecuteAsync(_ => { Migrate(); return ValueTask.CompletedTask; }, cancellationToken);
    }

    private void Migrate()
    {
        var connectionString = configuration.GetConnectionString("Database")!;
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUpLogger(logger));
        foreach (var assembly in options.Value.Assemblies.Distinct())
        {
            var upgrader = DeployChanges.To.PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(assembly, name => name.Contains(".Migrations.", StringComparison.Ordinal)
                                                                 && name.EndsWith(".sql", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogTo(new DbUpLogger(logger))
                .Build();
            DatabaseUpgradeResult result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Migration {result.ErrorScript?.Name} of {assembly.GetName().Name} failed: {result.Error.Message}", result.Error);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class DbUpLogger(ILogger logger) : DbUp.Engine.Output.IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => logger.LogInformation("{Migration}", string.Format(format, args));
        public void LogWarning(string format, params object[] args) => logger.LogWarning("{Migration}", string.Format(format, args));
        public void LogError(string format, params object[] args) => logger.LogError("{Migration}", string.Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Migration}", string.Format(format, args));
    }
}
