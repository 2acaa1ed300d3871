using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace TransferHub.Bench;

/// <summary>
/// Publish → searchable through the gateway: each of <c>--count</c> technologies (a Thai title with a unique token) is
/// created, submitted and approved; from the approval's answer (the publication committed, its event in the outbox) the
/// anonymous search for the token is polled every 10 ms until the technology is found. Measured on the client, so each
/// figure includes one search round trip and up to 10 ms of polling. Baseline in the same run: the round trip of the
/// same search once the technology is indexed.
/// </summary>
public static class SearchLatency
{
    private const string Search = "/api/search/technologies";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var accounts = await BenchHttp.AccountsAsync(options.AccountsFile);
        var throttled = new BenchHttp.ThrottleCounter();
        using var institution = await BenchHttp.LoginAsync(options.Gateway, accounts.Where(a => a.Role == "institution-member").Last(), throttled);
        using var moderator = await BenchHttp.LoginAsync(options.Gateway, accounts.First(a => a.Role == "platform-admin"), throttled);
        using var anonymous = new HttpClient(new BenchHttp.RetryAfterHandler(throttled) { InnerHandler = new HttpClientHandler() }) { BaseAddress = options.Gateway };
        var run = Guid.NewGuid().ToString("N")[..6];

        Console.WriteLine($"search-latency: {options.Count} publishes through {options.Gateway}, each polled in search until found");
        var latencies = new List<double>(options.Count);
        var baseline = new List<double>(options.Count);
        var missing = 0;
        for (var i = 0; i < options.Count + 5; i++)
        {
            var token = $"zq{run}n{i:0000}";
            await PublishAsync(institution, moderator, token);
            var since = Stopwatch.StartNew();
            var found = false;
            while (since.Elapsed < TimeSpan.FromSeconds(10) && !(found = await FoundAsync(anonymous, token)))
            {
                await Task.Delay(10);
            }
            if (i < 5)
            {
                continue; // warm-up
            }
            if (!found)
            {
                missing++;
                continue;
            }
            latencies.Add(since.Elapsed.TotalMilliseconds);
            var one = Stopwatch.StartNew();
            await FoundAsync(anonymous, token);
            baseline.Add(one.Elapsed.TotalMilliseconds);
            if ((i - 4) % 50 == 0)
            {
                Console.WriteLine($"  {i - 4}/{options.Count}");
            }
        }
        var result = new
        {
            benchmark = "search-latency",
            at = DateTimeOffset.UtcNow,
            commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"),
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() },
            parameters = new { options.Count, gateway = options.Gateway.ToString() },
            publishToSearchableMs = Stats.Of(latencies),
            missing,
            baselineSearchRoundTripMs = Stats.Of(baseline),
            ratioP50 = Stats.Ratio(latencies, baseline, 0.50),
            ratioP95 = Stats.Ratio(latencies, baseline, 0.95),
            throttled429 = throttled.Count,
        };
        await BenchHttp.WriteResultAsync(result, BenchHttp.Json, options.Out);
        return missing == 0 ? 0 : 1;
    }

    private static async Task<bool> FoundAsync(HttpClient client, string token)
    {
        var answer = await client.GetFromJsonAsync<JsonElement>($"{Search}?q={token}&pageSize=1", BenchHttp.Json);
        return answer.GetProperty("total").GetInt64() > 0;
    }

    private static async Task PublishAsync(HttpClient institution, HttpClient moderator, string token)
    {
        await BenchHttp.PublishTechnologyAsync(institution, moderator, new
        {
            title = $"ระบบสูบน้ำพลังงานแสงอาทิตย์ {token}",
            summary = "การถ่ายทอดเทคโนโลยีพลังงานสีเขียวสำหรับเกษตรกร (bench/search-latency)",
            language = "th",
            keywords = new[] { "benchmark", token },
            trl = 6,
            fields = new[] { "green-energy" },
            transferModes = new[] { "non-exclusive-licence" },
        });
    }
}
