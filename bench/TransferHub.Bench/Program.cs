using TransferHub.Bench;

// Benchmarks against a running stack (deploy/up.sh). Usage: see bench/README.md.
return args switch
{
    ["publish-latency", .. var rest] => await PublishLatency.RunAsync(BenchOptions.Parse(rest)),
    ["listing-throughput", .. var rest] => await ListingThroughput.RunAsync(BenchOptions.Parse(rest)),
    ["search-latency", .. var rest] => await SearchLatency.RunAsync(BenchOptions.Parse(rest)),
    ["registration-throughput", .. var rest] => await RegistrationThroughput.RunAsync(BenchOptions.Parse(rest)),
    ["import-xlsx", var pidFile, .. var rest] => await ImportBench.RunAsync(BenchOptions.Parse(rest), pidFile),
    ["relevance-corpus", var count] => TransferHub.Bench.Relevance.RelevanceCorpus.Generate(BenchOptions.RepoRoot, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
    ["relevance-explain", .. var ids] => await TransferHub.Bench.Relevance.RelevanceBench.ExplainAsync(BenchOptions.RepoRoot, ids),
    ["relevance-judge"] => TransferHub.Bench.Relevance.RelevanceCorpus.Judge(BenchOptions.RepoRoot),
    ["search-scale", .. var rest] when BenchOptions.Parse(rest) is { Database: { } database } options =>
        await SearchScale.RunAsync(BenchOptions.RepoRoot, options.Count, database, options.Queries, options.BaselineQueries ?? options.Queries, options.IndexDir, options.Out),
    ["search-gateway", .. var rest] when BenchOptions.Parse(rest) is var options =>
        await SearchScale.GatewayRunAsync(BenchOptions.RepoRoot, options.Gateway, options.Queries, options.Out),
    ["relevance", .. var rest] when BenchOptions.Parse(rest) is { Database: { } database } options =>
        await TransferHub.Bench.Relevance.RelevanceBench.RunAsync(BenchOptions.RepoRoot, database, options.Out),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: TransferHub.Bench publish-latency [--gateway URL] [--count N] [--rate PER_SECOND] [--out FILE.json]");
    Console.Error.WriteLine("       TransferHub.Bench listing-throughput [--gateway URL] [--count N] [--concurrency N] [--out FILE.json]");
    Console.Error.WriteLine("       TransferHub.Bench search-latency [--gateway URL] [--count N] [--out FILE.json]");
    Console.Error.WriteLine("       TransferHub.Bench registration-throughput --database CONNECTION [--gateway URL] [--count N] [--concurrency N] [--out FILE.json]");
    Console.Error.WriteLine("       TransferHub.Bench relevance-corpus COUNT   (writes seeds/relevance/corpus.jsonl and tests/Relevance/judged-queries.json)");
    Console.Error.WriteLine("       TransferHub.Bench relevance-judge          (judges tests/Relevance/natural-queries.json against the corpus)");
    Console.Error.WriteLine("       TransferHub.Bench relevance-explain [ID...]  (what the engine made of natural queries; the tuning half by default)");
    Console.Error.WriteLine("       TransferHub.Bench relevance --database CONNECTION [--out FILE.json]");
    Console.Error.WriteLine("       TransferHub.Bench search-scale --database CONNECTION [--count N] [--queries N] [--baseline-queries N] [--index-dir DIR] [--out FILE.json]");
    Console.Error.WriteLine("       TransferHub.Bench search-gateway [--gateway URL] [--queries N] [--out FILE.json]");
    return 2;
}
