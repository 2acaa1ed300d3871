using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Npgsql;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Api.Technologies;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Import;

public sealed record ImportJobView(Guid Id, string FileName, string Format, string Status, int TotalRows, int ProcessedRows, int CreatedCount,
    IReadOnlyList<ImportError> Errors, string? Message, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);

/// <summary>Where uploaded files wait for the worker, and the queue of job ids.</summary>
public sealed class ImportQueue
{
    private readonly Channel<Guid> channel = Channel.CreateUnbounded<Guid>();

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "transferhub-imports");

    public string FileOf(Guid job) => Path.Combine(Directory, job.ToString("N"));

    public ValueTask EnqueueAsync(Guid job, CancellationToken ct) => channel.Writer.WriteAsync(job, ct);

    public IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken ct) => channel.Reader.ReadAllAsync(ct);
}

/// <summary>
/// Runs import jobs one at a time: read the file, validate every row (progress in the job row), and only when every row
/// is valid insert them all as drafts in one transaction. A job cut off by a restart is marked failed (nothing of it was
/// committed), saying to upload the file again.
/// </summary>
public sealed class ImportWorker(NpgsqlDataSource dataSource, ImportQueue queue, TimeProvider clock, ILogger<ImportWorker> logger)
    : BackgroundService
{
    public const int MaxErrors = 500;
    private const int ProgressEvery = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(stoppingToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE import_jobs SET status = 'failed', finished_at = now(),
                    message = 'Interrupted by a restart of the listing service; nothing was imported. Upload the file again.'
                WHERE status IN ('queued', 'validating', 'importing')
                """, cancellationToken: stoppingToken));
        }
        await foreach (var job in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(job, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Import job {Job} failed", job);
                await FinishAsync(job, "failed", 0, [], "The import failed unexpectedly; nothing was imported. Try again, or contact support with the job id.",
                    CancellationToken.None);
            }
            finally
            {
                File.Delete(queue.FileOf(job));
            }
        }
    }

    private async Task RunAsync(Guid job, CancellationToken ct)
    {
        var clockStarted = Stopwatch.StartNew();
        var info = await Connection(c => c.QuerySingleAsync<(Guid OrganisationId, Guid UserId, string Format)>(new CommandDefinition(
            "SELECT organisation_id, user_id, format FROM import_jobs WHERE id = @job", new { job }, cancellationToken: ct)));
        await ProgressAsync(job, "validating", 0, 0, ct);
        List<SheetRow> rows;
        List<ImportError> errors;
        await using (var file = File.OpenRead(queue.FileOf(job)))
        {
            (rows, errors) = TechnologySheet.Read(file, info.Format);
        }
        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add(new ImportError(2, "title", "row 2", "The file has no data rows under the header."));
        }
        if (rows.Count > ImportEndpoints.MaxRows)
        {
            errors.Add(new ImportError(rows[ImportEndpoints.MaxRows].Number, "title", "", $"At most {ImportEndpoints.MaxRows} rows per file; split it."));
        }
        var today = ListingHttp.Today(clock);
        var inputs = new List<TechnologyInput>(rows.Count);
        for (var i = 0; i < rows.Count && errors.Count < MaxErrors; i++)
        {
            var row = rows[i];
            var input = TechnologySheet.ToInput(row, errors);
            foreach (var (field, messages) in TechnologyValidation.Validate(input, today).Errors)
            {
                var column = TechnologySheet.ColumnOf(field);
                var cell = row.Cells.TryGetValue(column, out var c) ? c.Where : $"row {row.Number}";
                errors.AddRange(messages.Select(m => new ImportError(row.Number, column, cell, m)));
            }
            inputs.Add(input);
            if ((i + 1) % ProgressEvery == 0)
            {
                await ProgressAsync(job, "validating", rows.Count, i + 1, ct);
            }
        }
        if (errors.Count > 0)
        {
            await FinishAsync(job, "failed", 0, errors.Take(MaxErrors).ToList(),
                $"{errors.Count}{(errors.Count >= MaxErrors ? "+" : "")} problems; nothing was imported. Fix the rows listed and upload the file again.", ct);
            return;
        }
        await ProgressAsync(job, "importing", rows.Count, 0, ct);
        var actor = new Actor(info.UserId, info.OrganisationId);
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                await TechnologyStore.InsertAsync(transaction, Guid.CreateVersion7(), actor, TechnologyValidation.Normalise(inputs[i]), ct);
                if ((i + 1) % ProgressEvery == 0)
                {
                    await ProgressAsync(job, "importing", rows.Count, i + 1, ct);
                }
            }
            await transaction.CommitAsync(ct);
        }
        await FinishAsync(job, "completed", inputs.Count, [], $"{inputs.Count} technologies imported as drafts in {clockStarted.Elapsed.TotalSeconds:F1} s.", ct);
        logger.LogInformation("Import job {Job}: {Count} technologies imported in {Seconds:F1} s", job, inputs.Count, clockStarted.Elapsed.TotalSeconds);
    }

    private Task ProgressAsync(Guid job, string status, int total, int processed, CancellationToken ct) =>
        Connection(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE import_jobs SET status = @status, total_rows = @total, processed_rows = @processed WHERE id = @job",
            new { job, status, total, processed }, cancellationToken: ct)));

    private Task FinishAsync(Guid job, string status, int created, IReadOnlyList<ImportError> errors, string message, CancellationToken ct) =>
        Connection(c => c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE import_jobs SET status = @status, created_count = @created, errors = CAST(@errors AS jsonb), message = @message,
                processed_rows = CASE WHEN @status = 'completed' THEN total_rows ELSE processed_rows END, finished_at = now()
            WHERE id = @job
            """, new { job, status, created, errors = JsonSerializer.Serialize(errors, JsonDefaults.Web), message }, cancellationToken: ct)));

    private async Task<T> Connection<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await work(connection);
    }
}
