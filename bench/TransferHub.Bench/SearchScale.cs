using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lucene.Net.Store;
using Npgsql;
using TransferHub.Bench.Relevance;
using TransferHub.Search;
using TransferHub.Search.Concepts;
using TransferHub.Search.Lucene;

namespace TransferHub.Bench;

/// <summary>
/// Search at scale, in process: N synthetic multilingual listings (the relevance corpus generator, same language mix)
/// indexed by the embedded engine and loaded into the PostgreSQL full-text baseline in the same run; index build rate,
/// size and memory; query latency (p50/p95/p99, one at a time) and throughput (one query per core at once) for the
/// judged queries' texts on both. The engine's index can be written where the listing service will open it
/// (<c>--index-dir</c>) so that <see cref="GatewayRunAsync"/> measures the same queries through the gateway.
/// </summary>
public static class SearchScale
{
    /// <summary>The facets <c>GET /api/search/technologies</c> counts (listing's SearchEndpoints.TechnologyFacets).</summary>
    private static readonly string[] ApiFacets = ["field", "country", "trl", "stage", "ipType", "transferMode", "pricingMode", "priceBand", "language"];

    public static async Task<int> RunAsync(string root, int count, string database, int queryCount, int baselineQueryCount, string? indexDir,
        string? output)
    {
        var thesaurus = Thesaurus.Load(Path.Combine(root, "seeds", "thesaurus"));
        var texts = QueryTexts(root);
        var natural = NaturalTexts(root);
        Console.WriteLine($"search-scale: {count} listings, {queryCount} queries from {texts.Count} generated and from {natural.Count} natural texts, {thesaurus.Concepts.Count} concepts");

        var path = indexDir ?? Path.Combine(Path.GetTempPath(), "th-scale-" + Guid.NewGuid().ToString("N"));
        object engineResult;
        try
        {
            // BENCH_REUSE_INDEX=1 with --index-dir: query an index built by an earlier run (for profiling queries)
            var reuse = indexDir is not null && Environment.GetEnvironmentVariable("BENCH_REUSE_INDEX") == "1" &&
                System.IO.Directory.Exists(indexDir) && System.IO.Directory.EnumerateFiles(indexDir, "segments_*").Any();
            using var engine = LuceneSearchEngine.Open(path, thesaurus);
            var clock = Stopwatch.StartNew();
            var done = 0;
            foreach (var chunk in reuse ? [] : RelevanceCorpus.Listings(root, thesaurus, count).Chunk(20_000))
            {
                await engine.BulkAsync(chunk.Select(d => d.ToSearchDocument(DocumentId(d.Id).ToString())));
                done += chunk.Length;
                Console.Write($"\rengine: indexed {done}/{count} ({done / clock.Elapsed.TotalSeconds:F0} docs/s)   ");
            }
            var build = clock.Elapsed.TotalSeconds;
            Console.WriteLine();
            GC.Collect();
            // the query the search API makes: its facets (the corpus has only the language facet) and a page of 10
            async Task<int> Search(string t) => (await engine.SearchAsync(new SearchQuery(t, Facets: ApiFacets, PageSize: 10))).Total;
            var latency = await MeasureAsync(texts, queryCount, Search);
            var latencyNatural = await MeasureAsync(natural, queryCount, Search);
            engineResult = new
            {
                buildSeconds = Math.Round(build, 1),
                docsPerSecond = Math.Round(count / build),
                indexMiB = Math.Round(DirectorySize(path) / 1048576.0, 1),
                managedHeapMiB = Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1),
                peakWorkingSetMiB = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
                latency,
                latencyNatural,
            };
        }
        finally
        {
            if (indexDir is null && System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
        Console.WriteLine($"engine: {JsonSerializer.Serialize(engineResult)}");

        object baselineResult = "not run (BENCH_SKIP_BASELINE=1)";
        if (Environment.GetEnvironmentVariable("BENCH_SKIP_BASELINE") != "1")
        await using (var dataSource = NpgsqlDataSource.Create(database))
        {
            var clock = Stopwatch.StartNew();
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                await RelevanceBench.LoadBaselineAsync(connection, RelevanceCorpus.Listings(root, thesaurus, count), count);
            }
            var load = clock.Elapsed.TotalSeconds;
            long size;
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                size = await new NpgsqlCommand("SELECT pg_total_relation_size('relevance_docs')", connection).ExecuteScalarAsync() as long? ?? 0;
            }
            async Task<int> Search(string t)
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                return (await RelevanceBench.BaselineSearchAsync(connection, t)).Count;
            }
            var latency = await MeasureAsync(texts, baselineQueryCount, Search);
            var latencyNatural = await MeasureAsync(natural, baselineQueryCount, Search);
            baselineResult = new { loadAndIndexSeconds = Math.Round(load, 1), docsPerSecond = Math.Round(count / load), tableAndIndexesMiB = Math.Round(size / 1048576.0, 1), latency, latencyNatural };
        }
        Console.WriteLine($"baseline: {JsonSerializer.Serialize(baselineResult)}");

        var report = new
        {
            at = DateTimeOffset.UtcNow,
            commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"),
            machine = new { cores = Environment.ProcessorCount },
            parameters = new { count, queries = queryCount, baselineQueries = baselineQueryCount, distinctTexts = texts.Count, naturalTexts = natural.Count },
            engine = engineResult,
            baseline = baselineResult,
        };
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        }
        return 0;
    }

    /// <summary>The same queries through the gateway (<c>GET /api/search/technologies?q=</c>, anonymous) against the index written by <see cref="RunAsync"/>.</summary>
    public static async Task<int> GatewayRunAsync(string root, Uri gateway, int queryCount, string? output)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        async Task<int> Search(string t)
        {
            using var response = await http.GetAsync($"/api/search/technologies?q={Uri.EscapeDataString(t)}&pageSize=10");
            response.EnsureSuccessStatusCode();
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            return (int)answer.RootElement.GetProperty("total").GetInt64();
        }
        var latency = await MeasureAsync(QueryTexts(root), queryCount, Search);
        var natural = await MeasureAsync(NaturalTexts(root), queryCount, Search);
        var report = new { at = DateTimeOffset.UtcNow, commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"), parameters = new { queries = queryCount }, gateway = latency, gatewayNatural = natural };
        Console.WriteLine($"gateway: {JsonSerializer.Serialize(latency)}");
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        }
        return 0;
    }

    /// <summary>The id a scale listing has in the index: a GUID (what the listing API returns), made from its corpus id.</summary>
    public static Guid DocumentId(string corpusId) =>
        new(int.Parse(corpusId.AsSpan(4), CultureInfo.InvariantCulture), 0x5ca1, 0x4e57, 0x8a, 0x11, 0, 0, 0, 0, 0, 1);

    private static List<string> QueryTexts(string root) => RelevanceCorpus.LoadQueries(root).Select(q => q.Text).ToList();

    /// <summary>The natural queries (needs, questions, variants: longer, and relaxed when they find little).</summary>
    private static List<string> NaturalTexts(string root) => RelevanceCorpus.LoadNaturalQueries(root).Select(q => q.Text).ToList();

    /// <summary>
    /// Warm-up (every distinct text once), then latency one query at a time, then throughput with one query per core at
    /// once. The garbage collector's pauses and allocations are this process's (the engine's when it runs in process).
    /// </summary>
    private static async Task<object> MeasureAsync(List<string> texts, int queryCount, Func<string, Task<int>> search)
    {
        for (var i = 0; i < Math.Max(100, texts.Count); i++)
        {
            await search(texts[i % texts.Count]);
        }
        var samples = new List<double>(queryCount);
        long hits = 0;
        var (pauses, allocated) = (GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
        for (var i = 0; i < queryCount; i++)
        {
            var clock = Stopwatch.StartNew();
            hits += await search(texts[i % texts.Count]);
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        var (gcPause, allocation) = (GC.GetTotalPauseDuration() - pauses, GC.GetTotalAllocatedBytes() - allocated);
        var wall = Stopwatch.StartNew();
        await Parallel.ForAsync(0, queryCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (i, _) => await search(texts[i % texts.Count]));
        var throughput = queryCount / wall.Elapsed.TotalSeconds;
        samples.Sort();
        double P(double q) => Math.Round(samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)], 2);
        return new
        {
            p50 = P(0.50), p95 = P(0.95), p99 = P(0.99), max = Math.Round(samples[^1], 2), queriesPerSecond = Math.Round(throughput, 1),
            meanTotalHits = hits / queryCount,
            gcPauseMsPerQuery = Math.Round(gcPause.TotalMilliseconds / queryCount, 2),
            allocatedKiBPerQuery = Math.Round(allocation / 1024.0 / queryCount),
        };
    }

    private static long DirectorySize(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
