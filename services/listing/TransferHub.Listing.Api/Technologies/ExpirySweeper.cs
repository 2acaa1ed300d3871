using Dapper;
using Npgsql;

namespace TransferHub.Listing.Api.Technologies;

/// <summary>
/// Expires technologies on the market whose expiry date has passed (status <c>expired</c>, a version row, and a
/// TechnologyWithdrawn event with reason "expired"). Runs every <c>Listing:ExpirySweepSeconds</c> (default 300);
/// safe with several instances (SKIP LOCKED).
/// </summary>
public sealed class ExpirySweeper(NpgsqlDataSource dataSource, IConfiguration configuration, TimeProvider clock, ILogger<ExpirySweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Listing:ExpirySweepSeconds", 300)));
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                var expired = await SweepAsync(stoppingToken);
                if (expired > 0)
                {
                    logger.LogInformation("Expired {Count} technologies past their expiry date", expired);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Expiry sweep failed ({Error}); retrying in {Interval}", e.Message, interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToDateTime(TimeOnly.MinValue);
        var total = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(
                """
                SELECT id FROM technologies
                WHERE status IN ('published', 'under-negotiation') AND expires_on < CAST(@today AS date)
                ORDER BY expires_on, id LIMIT 100 FOR UPDATE SKIP LOCKED
                """, new { today }, transaction, cancellationToken: ct))).AsList();
            foreach (var id in ids)
            {
                var technology = (await TechnologyStore.LoadAsync(connection, id, transaction, ct))!;
                await TechnologyStore.ChangeStatusAsync(transaction, technology, TechnologyStatus.Expired, "expire", Actor.System,
                    $"expired on {technology.ExpiresOn:yyyy-MM-dd}", ct);
            }
            await transaction.CommitAsync(ct);
            total += ids.Count;
            if (ids.Count < 100)
            {
                return total;
            }
        }
    }
}
