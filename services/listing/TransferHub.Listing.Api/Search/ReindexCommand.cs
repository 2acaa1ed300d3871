using System.Diagnostics;
using Lucene.Net.Store;
using Npgsql;
using TransferHub.Search;
using TransferHub.Search.Concepts;

namespace TransferHub.Listing.Api.Search;

/// <summary>
/// <c>TransferHub.Listing.Api reindex [technologies|needs]</c>: rebuilds the embedded search indexes from the listing
/// database with a progress bar. Reads <c>ConnectionStrings__Database</c> and <c>Listing__Search__IndexPath</c> (or the
/// same as <c>--Key=value</c> arguments) and <c>Search__Engine</c> like the service. The embedded index is held by a
/// running listing service: stop it first, or ask the service to rebuild it while it serves
/// (<see cref="SearchRebuildEndpoints"/>); an Elasticsearch index is rebuilt beside the live one and swapped by alias.
/// Exit codes: 0 rebuilt, 1 failed, 2 wrong usage or the index is in use.
/// </summary>
public static class ReindexCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var collections = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (collections.Count == 0)
        {
            collections = ["technologies", "needs"];
        }
        if (collections.FirstOrDefault(c => c is not ("technologies" or "needs")) is { } unknown)
        {
            Console.Error.WriteLine($"reindex: unknown collection '{unknown}'; use technologies, needs or nothing for both.");
            return 2;
        }
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables()
            .AddCommandLine(args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray()).Build();
        var connectionString = configuration.GetConnectionString("Database");
        var options = configuration.GetSection(SearchOptions.Section).Get<SearchOptions>() ?? new SearchOptions();
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("reindex: set ConnectionStrings__Database to the listing database, e.g. " +
                "'Host=127.0.0.1;Port=55432;Username=postgres;Database=th_listing', and Listing__Search__IndexPath to the index directory " +
                "(deploy/up.sh uses .run/search).");
            return 2;
        }
        var root = Path.GetFullPath(options.IndexPath);
        SearchIndexes indexes;
        try
        {
            var engines = configuration.GetSection(SearchEngineSettings.Section).Get<SearchEngineSettings>() ?? new SearchEngineSettings();
            indexes = new SearchIndexes(engines, root,
                options.ThesaurusPath is { Length: > 0 } path ? Thesaurus.Load(Path.GetFullPath(path)) : Thesaurus.LoadDefault());
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"reindex: {e.Message}");
            return 2;
        }
        catch (LockObtainFailedException)
        {
            Console.Error.WriteLine($"reindex: the index under {root} is in use by a running listing service. Either ask that service to " +
                "rebuild while it serves (POST /api/search/rebuilds/technologies or /needs as a platform admin; GET the same path for progress), " +
                "or stop it (deploy/down.sh) and run reindex again.");
            return 2;
        }
        using (indexes)
        {
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(connectionString);
                foreach (var collection in collections)
                {
                    var total = await SearchSource.CountAsync(dataSource, collection, CancellationToken.None);
                    var bar = new ProgressBar(collection, total);
                    var count = await indexes.Collection(collection)!.RebuildAsync(SearchSource.ReadAsync(dataSource, collection, CancellationToken.None), bar);
                    bar.Done(count);
                }
                return 0;
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"reindex: cannot read the listing database: {e.Message}. Is PostgreSQL running (deploy/up.sh) and the connection string right?");
                return 1;
            }
        }
    }

    /// <summary>A one-line progress bar on the console: [#####-----] done/total percent, documents per second.</summary>
    private sealed class ProgressBar(string name, long total) : IProgress<int>
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();

        public void Report(int value) => Console.Write("\r" + Line(value));

        public void Done(int count) => Console.WriteLine("\r" + Line(count) + $" in {clock.Elapsed.TotalSeconds:F1} s");

        private string Line(int done)
        {
            const int Width = 30;
            var fraction = total == 0 ? 1 : Math.Min(1, done / (double)total);
            var filled = (int)Math.Round(fraction * Width);
            var rate = done / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            return $"{name,-12} [{new string('#', filled)}{new string('-', Width - filled)}] {done}/{total} {fraction,4:P0} {rate:F0} docs/s";
        }
    }
}
