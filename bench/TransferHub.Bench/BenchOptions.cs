using System.Globalization;

namespace TransferHub.Bench;

public sealed record BenchOptions(Uri Gateway, int Count, double Rate, int Concurrency, string? Out, string AccountsFile, string? Database, int Queries = 2000, string? IndexDir = null,
    int? BaselineQueries = null)
{
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected an option such as --count, got '{args[i]}'.");
            }
            values[args[i][2..]] = args[i + 1];
        }
        string Get(string key, string fallback) => values.TryGetValue(key, out var value) ? value : fallback;
        var port = Environment.GetEnvironmentVariable("GATEWAY_PORT") ?? "8080";
        return new BenchOptions(
            new Uri(Get("gateway", $"http://127.0.0.1:{port}/")),
            int.Parse(Get("count", "1000"), CultureInfo.InvariantCulture),
            double.Parse(Get("rate", "10"), CultureInfo.InvariantCulture),
            int.Parse(Get("concurrency", "8"), CultureInfo.InvariantCulture),
            values.GetValueOrDefault("out"),
            Get("accounts", Path.Combine(RepoRoot, "seeds", "demo-accounts.json")),
            values.GetValueOrDefault("database"),
            int.Parse(Get("queries", "2000"), CultureInfo.InvariantCulture),
            values.GetValueOrDefault("index-dir"),
            values.TryGetValue("baseline-queries", out var baseline) ? int.Parse(baseline, CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The repository the bench program was built in.</summary>
    public static string RepoRoot => FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TransferHub.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
