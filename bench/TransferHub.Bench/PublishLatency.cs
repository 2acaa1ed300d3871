using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TransferHub.Bench;

/// <summary>
/// Time from publish (listing's published_at, set in the transaction that writes the outbox row) to visible in
/// matchmaking's read model (its received_at, set in the inbox transaction), over N publishes at a steady rate
/// through the gateway. Baseline in the same run: the round trip of a synchronous GET of one item through the gateway.
/// </summary>
public static class PublishLatency
{
    private static readonly JsonSerializerOptions json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var accounts = await BenchHttp.AccountsAsync(options.AccountsFile);
        var throttled = new BenchHttp.ThrottleCounter();
        // The second demo institution publishes, so the first one's demo listings stay as seeded.
        using var institution = await BenchHttp.LoginAsync(options.Gateway, accounts.Where(a => a.Role == "institution-member").Last(), throttled);
        using var reader = await BenchHttp.LoginAsync(options.Gateway, accounts.First(a => a.Role == "company-member"), throttled);
        using var moderator = await BenchHttp.LoginAsync(options.Gateway, accounts.First(a => a.Role == "platform-admin"), throttled);
        var publisher = new Publisher(institution, moderator);

        Console.WriteLine($"publish-latency: {options.Count} publishes at {options.Rate}/s through {options.Gateway} (+20 warm-up, not counted)");
        await PublishPacedAsync(publisher, 20, options.Rate, "warm-up", _ => { });
        var published = new List<Published>(options.Count);
        var publishRoundTrips = new List<double>(options.Count);
        var clock = Stopwatch.StartNew();
        await PublishPacedAsync(publisher, options.Count, options.Rate, "bench", result =>
        {
            lock (published)
            {
                published.Add(result.Item);
                publishRoundTrips.Add(result.RoundTripMs);
                if (published.Count % 100 == 0)
                {
                    Console.WriteLine($"  published {published.Count}/{options.Count} ({clock.Elapsed.TotalSeconds:F0} s)");
                }
            }
        });

        var arrived = await CollectArrivalsAsync(reader, published.Select(p => p.Id).ToHashSet(), TimeSpan.FromSeconds(120));
        var latencies = published.Where(p => arrived.ContainsKey(p.Id))
            .Select(p => (arrived[p.Id] - p.PublishedAt).TotalMilliseconds).ToList();
        var missing = published.Count - latencies.Count;

        var baseline = await GetRoundTripsAsync(reader, published.Select(p => p.Id).Take(300).ToList(), options.Rate * 2);
        var result = new
        {
            benchmark = "publish-latency",
            at = DateTimeOffset.UtcNow,
            commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"),
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() },
            parameters = new { options.Count, options.Rate, gateway = options.Gateway.ToString() },
            publishToVisibleMs = Stats.Of(latencies),
            missing,
            publishRequestRoundTripMs = Stats.Of(publishRoundTrips),
            baselineGetRoundTripMs = Stats.Of(baseline),
            ratioP50 = Stats.Ratio(latencies, baseline, 0.50),
            ratioP95 = Stats.Ratio(latencies, baseline, 0.95),
            throttled429 = throttled.Count,
        };
        await BenchHttp.WriteResultAsync(result, json, options.Out);
        if (missing > 0)
        {
            Console.Error.WriteLine($"{missing} published technologies never arrived in matchmaking within 120 s: check .run/logs/matchmaking.log and .run/logs/listing.log");
            return 1;
        }
        return 0;
    }

    private static async Task PublishPacedAsync(Publisher client, int count, double rate, string prefix, Action<(Published Item, double RoundTripMs)> done)
    {
        var start = Stopwatch.StartNew();
        var running = new List<Task>(count);
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            if (due > start.Elapsed)
            {
                await Task.Delay(due - start.Elapsed);
            }
            var n = i;
            running.Add(Task.Run(async () => done(await PublishOneAsync(client, $"{prefix} {run} #{n}"))));
        }
        await Task.WhenAll(running);
    }

    /// <summary>The institution creates and submits, the moderator approves (publishes).</summary>
    private sealed record Publisher(HttpClient Institution, HttpClient Moderator);

    private static async Task<(Published, double)> PublishOneAsync(Publisher client, string title)
    {
        var clock = Stopwatch.StartNew();
        var view = await BenchHttp.PublishTechnologyAsync(client.Institution, client.Moderator, new
        {
            title = "Benchmark technology " + title,
            summary = "Synthetic listing written by bench/publish-latency: a solar-powered drip irrigation controller for smallholder farms.",
            language = "en",
            keywords = new[] { "benchmark", "irrigation", "solar" },
            trl = 6,
            fields = new[] { "green-energy", "plateau-agriculture" },
            transferModes = new[] { "non-exclusive-licence" },
        });
        var id = view.GetProperty("id").GetGuid();
        return (new Published(id, view.GetProperty("publishedAt").GetDateTimeOffset()), clock.Elapsed.TotalMilliseconds);
    }

    private static async Task<Dictionary<Guid, DateTimeOffset>> CollectArrivalsAsync(HttpClient reader, HashSet<Guid> ids, TimeSpan timeout)
    {
        var arrived = new Dictionary<Guid, DateTimeOffset>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            // Newest first: the bench's technologies are on the first pages.
            for (var page = 1; page <= (ids.Count / 100) + 3 && arrived.Count < ids.Count; page++)
            {
                var body = await reader.GetFromJsonAsync<JsonElement>($"/api/matches/technologies?page={page}&pageSize=100", json);
                foreach (var item in body.GetProperty("items").EnumerateArray())
                {
                    var id = item.GetProperty("id").GetGuid();
                    if (ids.Contains(id))
                    {
                        arrived[id] = item.GetProperty("receivedAt").GetDateTimeOffset();
                    }
                }
            }
            if (arrived.Count == ids.Count)
            {
                break;
            }
            Console.WriteLine($"  {arrived.Count}/{ids.Count} arrived in matchmaking; waiting");
            await Task.Delay(1000);
        }
        return arrived;
    }

    private static async Task<List<double>> GetRoundTripsAsync(HttpClient reader, List<Guid> ids, double rate)
    {
        var samples = new List<double>(ids.Count);
        var start = Stopwatch.StartNew();
        for (var i = 0; i < ids.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            if (due > start.Elapsed)
            {
                await Task.Delay(due - start.Elapsed);
            }
            var clock = Stopwatch.StartNew();
            using var response = await reader.GetAsync($"/api/matches/technologies/{ids[i]}");
            await response.Content.ReadAsByteArrayAsync();
            await BenchHttp.EnsureAsync(response, "baseline GET");
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        return samples;
    }

    private sealed record Published(Guid Id, DateTimeOffset PublishedAt);
}
