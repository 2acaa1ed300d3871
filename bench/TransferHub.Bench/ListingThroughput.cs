using System.Net.Http.Json;
using System.Text.Json;

namespace TransferHub.Bench;

/// <summary>
/// Create + submit + approve throughput of technologies through the gateway: <c>--concurrency</c> closed-loop workers for
/// <c>--count</c> technologies (three writes each, every one a transaction with a version row; the approval also writes
/// the outbox row). Baseline in the same run, same workers: reading one technology through the gateway.
/// </summary>
public static class ListingThroughput
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var accounts = await BenchHttp.AccountsAsync(options.AccountsFile);
        var throttled = new BenchHttp.ThrottleCounter();
        // the second demo institution writes, so the first one's demo listings stay as seeded
        using var institution = await BenchHttp.LoginAsync(options.Gateway, accounts.Where(a => a.Role == "institution-member").Last(), throttled);
        using var moderator = await BenchHttp.LoginAsync(options.Gateway, accounts.First(a => a.Role == "platform-admin"), throttled);
        using var reader = await BenchHttp.LoginAsync(options.Gateway, accounts.First(a => a.Role == "company-member"), throttled);
        var concurrency = Math.Max(1, options.Concurrency);
        var run = Guid.NewGuid().ToString("N")[..8];

        Console.WriteLine($"listing-throughput: {options.Count} technologies created, submitted and approved by {concurrency} workers through {options.Gateway}");
        await ClosedLoop.RunAsync(concurrency, 20, i => PublishAsync(institution, moderator, $"warm-up {run} #{i}"));
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var write = await ClosedLoop.RunAsync(concurrency, options.Count, async i =>
        {
            ids.Add(await PublishAsync(institution, moderator, $"{run} #{i}"));
            if ((i + 1) % 200 == 0)
            {
                Console.WriteLine($"  {i + 1}/{options.Count}");
            }
        });
        var sample = ids.Take(200).ToArray();
        var read = await ClosedLoop.RunAsync(concurrency, options.Count * 3, async i =>
        {
            using var response = await reader.GetAsync($"/api/listings/technologies/{sample[i % sample.Length]}");
            await BenchHttp.EnsureAsync(response, "baseline GET");
        });

        var writeRequestsPerSecond = options.Count * 3 / write.Elapsed.TotalSeconds;
        var readRequestsPerSecond = options.Count * 3 / read.Elapsed.TotalSeconds;
        var result = new
        {
            benchmark = "listing-throughput",
            at = DateTimeOffset.UtcNow,
            commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"),
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() },
            parameters = new { options.Count, concurrency, gateway = options.Gateway.ToString() },
            technologiesPerSecond = Math.Round(options.Count / write.Elapsed.TotalSeconds, 1),
            writeRequestsPerSecond = Math.Round(writeRequestsPerSecond, 1),
            publishCycleMs = Stats.Of(write.Latencies),
            baselineReadsPerSecond = Math.Round(readRequestsPerSecond, 1),
            baselineReadMs = Stats.Of(read.Latencies),
            ratioWriteToReadRequests = Math.Round(writeRequestsPerSecond / readRequestsPerSecond, 2),
            throttled429 = throttled.Count,
        };
        await BenchHttp.WriteResultAsync(result, BenchHttp.Json, options.Out);
        return 0;
    }

    private static async Task<Guid> PublishAsync(HttpClient institution, HttpClient moderator, string title)
    {
        var approved = await BenchHttp.PublishTechnologyAsync(institution, moderator, new
        {
            title = "Throughput benchmark " + title,
            summary = "Synthetic listing written by bench/listing-throughput: biomass gasifier for rubber smoking houses.",
            language = "en",
            keywords = new[] { "benchmark", "biomass", "rubber" },
            fields = new[] { "green-energy" },
            trl = 7,
            stage = "pilot",
            transferModes = new[] { "non-exclusive-licence", "technical-service" },
            pricingMode = "listed",
            price = 120000,
            currency = "USD",
            targetCountries = new[] { "TH", "LA", "VN" },
            owners = new[] { new { name = "Kunming Institute of Botany", share = 100 } },
        });
        return approved.GetProperty("id").GetGuid();
    }
}
