using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace TransferHub.Bench;

/// <summary>
/// Registrations per second at one station through the gateway: <c>--count</c> contracts are drafted, given their
/// contract text and submitted first
/// (not timed), then the Kunming officer registers them all with <c>--concurrency</c> workers; every tenth case is
/// clicked twice (the second answer must be a 409). Afterwards every case is read back: zero lost (each registered),
/// zero duplicated (distinct numbers, serials contiguous). Baseline in the same run, same workers: single-row INSERTs
/// committed one by one straight into PostgreSQL (the floor cost of one durable write).
/// </summary>
public static class RegistrationThroughput
{
    private const string Submissions = "/api/registrations/submissions";

    private static readonly byte[] Pdf = System.Text.Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static async Task<int> RunAsync(BenchOptions options)
    {
        if (options.Database is null)
        {
            Console.Error.WriteLine("registration-throughput needs --database \"Host=…;Port=…;Username=…;Database=th_registration\" for its baseline.");
            return 2;
        }
        var accounts = await BenchHttp.AccountsAsync(options.AccountsFile);
        var throttled = new BenchHttp.ThrottleCounter();
        using var seller = await BenchHttp.LoginAsync(options.Gateway, accounts.First(a => a.Role == "institution-member"), throttled);
        using var officer = await BenchHttp.LoginAsync(options.Gateway, accounts.First(a => a.Role == "station-officer"), throttled);
        var concurrency = Math.Max(1, options.Concurrency);
        var run = Guid.NewGuid().ToString("N")[..8];

        Console.WriteLine($"registration-throughput: {options.Count} contracts submitted, then registered by {concurrency} workers through {options.Gateway}");
        var ids = new Guid[options.Count];
        await ClosedLoop.RunAsync(concurrency, options.Count, async i =>
        {
            ids[i] = await SubmitAsync(seller, $"{run} #{i}");
            if ((i + 1) % 500 == 0)
            {
                Console.WriteLine($"  submitted {i + 1}/{options.Count}");
            }
        });

        var numbers = new ConcurrentDictionary<Guid, string>();
        var doubleClicks = 0;
        var registered = await ClosedLoop.RunAsync(concurrency, options.Count, async i =>
        {
            numbers[ids[i]] = await RegisterAsync(officer, ids[i]);
            if (i % 10 == 0)
            {
                using var again = await officer.PostAsJsonAsync($"{Submissions}/{ids[i]}/register", new { });
                if (again.StatusCode != HttpStatusCode.Conflict)
                {
                    throw new InvalidOperationException($"a second registration of {ids[i]} answered {(int)again.StatusCode}, not 409");
                }
                Interlocked.Increment(ref doubleClicks);
            }
            if ((i + 1) % 500 == 0)
            {
                Console.WriteLine($"  registered {i + 1}/{options.Count}");
            }
        });

        // read back: nothing lost, nothing twice
        var lost = 0;
        await ClosedLoop.RunAsync(concurrency, options.Count, async i =>
        {
            var view = await officer.GetFromJsonAsync<JsonElement>($"{Submissions}/{ids[i]}", BenchHttp.Json);
            if (view.GetProperty("status").GetString() != "registered" || view.GetProperty("registrationNumber").GetString() != numbers[ids[i]])
            {
                Interlocked.Increment(ref lost);
            }
        });
        var serials = numbers.Values.Select(n => int.Parse(n[^6..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        var duplicates = options.Count - numbers.Values.Distinct().Count();
        var contiguous = serials.Count == options.Count && serials[^1] - serials[0] == options.Count - 1;

        var baseline = await BaselineAsync(options.Database, concurrency, options.Count);
        var registrationsPerSecond = options.Count / registered.Elapsed.TotalSeconds;
        var insertsPerSecond = options.Count / baseline.Elapsed.TotalSeconds;
        var result = new
        {
            benchmark = "registration-throughput",
            at = DateTimeOffset.UtcNow,
            commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"),
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() },
            parameters = new { options.Count, concurrency, gateway = options.Gateway.ToString() },
            registrationsPerSecond = Math.Round(registrationsPerSecond, 1),
            registerMs = Stats.Of(registered.Latencies),
            lost,
            duplicates,
            serialsContiguous = contiguous,
            doubleClicksRefused = doubleClicks,
            baselineInsertsPerSecond = Math.Round(insertsPerSecond, 1),
            baselineInsertMs = Stats.Of(baseline.Latencies),
            ratioToBaseline = Math.Round(registrationsPerSecond / insertsPerSecond, 3),
            throttled429 = throttled.Count,
        };
        await BenchHttp.WriteResultAsync(result, BenchHttp.Json, options.Out);
        return lost == 0 && duplicates == 0 && contiguous ? 0 : 1;
    }

    private static async Task<Loop> BaselineAsync(string database, int concurrency, int count)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using (var create = dataSource.CreateCommand(
                         "DROP TABLE IF EXISTS bench_plain_insert; CREATE TABLE bench_plain_insert (id uuid PRIMARY KEY, number text NOT NULL, payload jsonb NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        try
        {
            return await ClosedLoop.RunAsync(concurrency, count, async i =>
            {
                await using var insert = dataSource.CreateCommand("INSERT INTO bench_plain_insert (id, number, payload) VALUES ($1, $2, $3::jsonb)");
                insert.Parameters.AddWithValue(Guid.NewGuid());
                insert.Parameters.AddWithValue(i.ToString("000000", System.Globalization.CultureInfo.InvariantCulture));
                insert.Parameters.AddWithValue("{\"status\":\"registered\",\"amount\":1200000}");
                await insert.ExecuteNonQueryAsync();
            });
        }
        finally
        {
            await using var drop = dataSource.CreateCommand("DROP TABLE IF EXISTS bench_plain_insert");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<Guid> SubmitAsync(HttpClient seller, string title)
    {
        using var created = await seller.PostAsJsonAsync(Submissions, new
        {
            title = "Registration benchmark " + title,
            category = "licensing",
            subCategory = "patent-ordinary",
            ourRole = "provider",
            parties = new[] { new { name = "Lancang Green Energy Co., Ltd.", country = "LA", provider = false } },
            contractAmount = 1_200_000m,
            currency = "CNY",
            costs = new[] { new { kind = "equipment", description = "Pilot line", amount = 150_000m } },
            field = "green-energy",
            ip = new[] { new { type = "invention-patent", number = "ZL202310000001.X" } },
            contractLanguage = "zh",
            signedOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1),
        }, BenchHttp.Json);
        await BenchHttp.EnsureAsync(created, "draft");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(BenchHttp.Json)).GetProperty("id").GetGuid();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Pdf);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "contract.pdf");
        form.Add(new StringContent("contract"), "kind");
        form.Add(new StringContent("zh"), "language");
        using var uploaded = await seller.PostAsync($"{Submissions}/{id}/documents", form);
        await BenchHttp.EnsureAsync(uploaded, "upload");
        using var submitted = await seller.PostAsync($"{Submissions}/{id}/submit", null);
        await BenchHttp.EnsureAsync(submitted, "submit");
        return id;
    }

    private static async Task<string> RegisterAsync(HttpClient officer, Guid id)
    {
        using var response = await officer.PostAsJsonAsync($"{Submissions}/{id}/register", new { });
        await BenchHttp.EnsureAsync(response, "register");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(BenchHttp.Json)).GetProperty("registrationNumber").GetString()!;
    }
}
