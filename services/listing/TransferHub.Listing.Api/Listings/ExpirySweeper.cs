using Dapper;
using Npgsql;
using TransferHub.Listing.Api.Needs;
using TransferHub.Listing.Api.Technologies;

namespace TransferHub.Listing.Api.Listings;

/// <summary>
/// Expires listings on the market whose date has passed — a technology's expiry date, a need's deadline — with a version
/// row and the event (TechnologyWithdrawn / NeedClosed with reason "expired"). Runs every <c>Listing:ExpirySweepSeconds</c> (default 300);
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
                    logger.LogInformation("Expired {Count} listings past their date", expired);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // never let one bad sweep stop the host; the next tick retries
                logger.LogError(e, "Expiry sweep failed; retrying in {Interval}", interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(CancellationToken ct) =>
        await SweepAsync(TechnologyStore.Instance, "technologies", "expires_on", ct) +
        await SweepAsync(NeedStore.Instance, "needs", "deadline", ct);

    private async Task<int> SweepAsync<TView>(IListingKind<TView> kind, string table, string dateColumn, CancellationToken ct)
        where TView : class, IListing
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToDateTime(TimeOnly.MinValue);
        var total = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var due = (await connection.QueryAsync<(Guid Id, DateOnly Date)>(new CommandDefinition(
                $"""
                SELECT id, {dateColumn} FROM {table}
                WHERE status IN ('published', 'under-negotiation') AND {dateColumn} < CAST(@today AS date)
                ORDER BY {dateColumn}, id LIMIT 100 FOR UPDATE SKIP LOCKED
                """, new { today }, transaction, cancellationToken: ct))).AsList();
            foreach (var (id, date) in due)
            {
                var listing = (await kind.LoadAsync(connection, id, transaction, ct))!;
                await kind.ChangeStatusAsync(transaction, listing, ListingStatus.Expired, "expire", Actor.System, $"expired on {date:yyyy-MM-dd}", ct);
            }
            await transaction.CommitAsync(ct);
            total += due.Count;
            if (due.Count < 100)
            {
                return total;
            }
        }
    }
}
