using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.Search;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Search;

/// <summary>
/// Where a rebuild of a collection's index stands: <c>running</c>, <c>completed</c>, <c>failed</c> (with the error and
/// what to do) or <c>cancelled</c> (the service stopped); <c>Done</c> of <c>Total</c> listings read from the database.
/// </summary>
public sealed record RebuildStatus(string Collection, string State, long Total, int Done, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, string RequestedBy, string? Error);

/// <summary>
/// Rebuilds of the search indexes from the listing database while the service keeps serving (searches see the old
/// content until the rebuild commits; events written meanwhile are kept, see <see cref="ISearchEngine.RebuildAsync"/>).
/// One rebuild per collection at a time; the last one's status is kept until the service stops.
/// </summary>
public sealed class SearchRebuilds(SearchIndexes indexes, NpgsqlDataSource dataSource, IHostApplicationLifetime lifetime, TimeProvider time,
    ILogger<SearchRebuilds> logger)
{
    private readonly ConcurrentDictionary<string, Run> runs = new(StringComparer.Ordinal);

    public RebuildStatus? Status(string collection) => runs.TryGetValue(collection, out var run) ? run.Status() : null;

    /// <summary>Starts a rebuild of <paramref name="collection"/> unless one is running; says which.</summary>
    public (RebuildStatus Status, bool Started) Start(string collection, string requestedBy)
    {
        var engine = indexes.Collection(collection) ?? throw new ArgumentException($"Unknown collection '{collection}'.", nameof(collection));
        var run = new Run(collection, requestedBy, time.GetUtcNow());
        while (true)
        {
            if (runs.TryGetValue(collection, out var current))
            {
                if (current.State == "running")
                {
                    return (current.Status(), false);
                }
                if (!runs.TryUpdate(collection, run, current))
                {
                    continue;
                }
            }
            else if (!runs.TryAdd(collection, run))
            {
                continue;
            }
            break;
        }
        run.Task = Task.Run(() => ExecuteAsync(run, engine, lifetime.ApplicationStopping));
        return (run.Status(), true);
    }

    private async Task ExecuteAsync(Run run, ISearchEngine engine, CancellationToken ct)
    {
        try
        {
            run.Total = await SearchSource.CountAsync(dataSource, run.Collection, ct);
            logger.LogInformation("Rebuilding search index {Collection} from the database ({Total} listings), requested by {User}",
                run.Collection, run.Total, run.RequestedBy);
            var step = Math.Max(500, run.Total / 10);
            var progress = new Progress(done =>
            {
                var before = Interlocked.Exchange(ref run.Done, done);
                if (done / step != before / step)
                {
                    logger.LogInformation("Rebuilding search index {Collection}: {Done}/{Total}", run.Collection, done, run.Total);
                }
            });
            var count = await engine.RebuildAsync(SearchSource.ReadAsync(dataSource, run.Collection, ct), progress, ct);
            Interlocked.Exchange(ref run.Done, count);
            run.Finish("completed", time.GetUtcNow(), null);
            logger.LogInformation("Rebuilt search index {Collection}: {Count} listings", run.Collection, count);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            run.Finish("cancelled", time.GetUtcNow(), "The service stopped during the rebuild; the index holds old and new documents, each whole. Start the rebuild again.");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Rebuilding search index {Collection} failed", run.Collection);
            run.Finish("failed", time.GetUtcNow(),
                $"{e.GetType().Name}: {e.Message}. The index keeps its content (each document whole); check the listing database and the log, then start the rebuild again.");
        }
    }

    private sealed class Progress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    private sealed class Run(string collection, string requestedBy, DateTimeOffset startedAt)
    {
        private readonly Lock gate = new();
        private string state = "running";
        private DateTimeOffset? finishedAt;
        private string? error;
        public int Done;

        public string Collection { get; } = collection;

        public string RequestedBy { get; } = requestedBy;

        public long Total { get; set; }

        public Task? Task { get; set; }

        public string State
        {
            get
            {
                lock (gate)
                {
                    return state;
                }
            }
        }

        public void Finish(string outcome, DateTimeOffset at, string? message)
        {
            lock (gate)
            {
                (state, finishedAt, error) = (outcome, at, message);
            }
        }

        public RebuildStatus Status()
        {
            lock (gate)
            {
                return new RebuildStatus(Collection, state, Total, Volatile.Read(ref Done), startedAt, finishedAt, RequestedBy, error);
            }
        }
    }
}

/// <summary>
/// <c>POST /api/search/rebuilds/{collection}</c> starts rebuilding an index from the database while the service serves
/// (platform admins; 202 with the status, 409 while one runs); <c>GET</c> the same path says how far it is.
/// </summary>
public static class SearchRebuildEndpoints
{
    public static WebApplication MapSearchRebuildEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/search/rebuilds").WithTags("Search").RequireAuthorization(Roles.PlatformAdmin);
        group.MapPost("/{collection}", Start).WithSummary("Rebuild a search index (technologies or needs) from the listing database, while searches go on.");
        group.MapGet("/{collection}", Get).WithSummary("Progress of the last rebuild of a search index.");
        return app;
    }

    private static Results<Accepted<RebuildStatus>, ValidationProblem, ProblemHttpResult> Start(string collection, SearchRebuilds rebuilds, HttpContext http)
    {
        if (Unknown(collection) is { } problem)
        {
            return problem;
        }
        var (status, started) = rebuilds.Start(collection, http.User.FindFirst(TransferHubClaims.Email)?.Value ?? http.User.FindFirst(TransferHubClaims.Subject)?.Value ?? "?");
        return started
            ? TypedResults.Accepted($"/api/search/rebuilds/{collection}", status)
            : HttpConventions.Conflict($"A rebuild of {collection} is already running.",
                $"{status.Done}/{status.Total} listings done since {status.StartedAt:u}; follow it with GET /api/search/rebuilds/{collection}.");
    }

    private static Results<Ok<RebuildStatus>, ValidationProblem, ProblemHttpResult> Get(string collection, SearchRebuilds rebuilds)
    {
        if (Unknown(collection) is { } problem)
        {
            return problem;
        }
        return rebuilds.Status(collection) is { } status
            ? TypedResults.Ok(status)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No rebuild of {collection} since the service started.",
                detail: $"Start one with POST /api/search/rebuilds/{collection}.");
    }

    private static ValidationProblem? Unknown(string collection) =>
        collection is "technologies" or "needs"
            ? null
            : new Validation().Add("collection", "The collection is technologies or needs.").ToProblem();
}
