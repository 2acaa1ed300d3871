using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lucene.Net.Store;
using Npgsql;
using TransferHub.Search;
using TransferHub.Search.Concepts;
using TransferHub.Search.Lucene;

namespace TransferHub.Bench.Relevance;

/// <summary>
/// The relevance harness: the judged queries (<c>tests/Relevance</c>) over the corpus (<c>seeds/relevance</c>), run on
/// the TransferHub engine (embedded Lucene with the thesaurus) and on a PostgreSQL full-text baseline (to_tsvector
/// 'simple' + pg_trgm word similarity) in one run; nDCG@10, recall@10 and MRR per language and per kind of query.
/// </summary>
public static class RelevanceBench
{
    private const int K = 10;

    public static async Task<int> RunAsync(string root, string database, string? output)
    {
        var corpus = RelevanceCorpus.LoadCorpus(root);
        var queries = RelevanceCorpus.LoadQueries(root);
        var thesaurus = Thesaurus.Load(Path.Combine(root, "seeds", "thesaurus"));
        Console.WriteLine($"relevance: {corpus.Count} listings, {queries.Count} queries, {thesaurus.Concepts.Count} concepts");

        var (engineRuns, engineBuild, engineQueries) = await RunEngineAsync(corpus, queries, thesaurus);
        Console.WriteLine($"engine: indexed in {engineBuild:F1} s, {engineQueries:F1} ms per query");
        // The same engine with a thesaurus that lost every synonym (preferred labels only): listings and queries written
        // with another label of a concept reach it only through their own language's words. Coverage, not mechanics.
        var preferredOnly = new Thesaurus(thesaurus.Concepts.Select(c => c with
        {
            Labels = c.Labels.ToDictionary(l => l.Key, l => (IReadOnlyList<string>)l.Value.Take(1).ToList(), StringComparer.Ordinal),
        }));
        var (reducedRuns, _, _) = await RunEngineAsync(corpus, queries, preferredOnly);

        var baselineRuns = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        double baselineBuild, baselineQueries;
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            var clock = Stopwatch.StartNew();
            await LoadBaselineAsync(connection, corpus, corpus.Count);
            baselineBuild = clock.Elapsed.TotalSeconds;
            clock.Restart();
            foreach (var q in queries)
            {
                baselineRuns[q.Id] = await BaselineSearchAsync(connection, q.Text);
            }
            baselineQueries = clock.Elapsed.TotalMilliseconds / queries.Count;
        }
        Console.WriteLine($"baseline: loaded in {baselineBuild:F1} s, {baselineQueries:F1} ms per query");

        var groups = queries.GroupBy(q => q.Language).Select(g => (Name: g.Key, Queries: g.ToList()))
            .Concat(queries.GroupBy(q => q.Kind).Select(g => (Name: "kind:" + g.Key, Queries: g.ToList())))
            .Append((Name: "all", Queries: queries)).ToList();
        var rows = groups.Select(g => new
        {
            group = g.Name,
            queries = g.Queries.Count,
            engine = Score(g.Queries, engineRuns),
            enginePreferredLabelsOnly = Score(g.Queries, reducedRuns),
            baseline = Score(g.Queries, baselineRuns),
        }).ToList();
        var report = new
        {
            at = DateTimeOffset.UtcNow,
            commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"),
            corpus = corpus.Count,
            judgedQueries = queries.Count,
            concepts = thesaurus.Concepts.Count,
            engine = new { indexSeconds = Math.Round(engineBuild, 2), msPerQuery = Math.Round(engineQueries, 2) },
            baseline = new { loadSeconds = Math.Round(baselineBuild, 2), msPerQuery = Math.Round(baselineQueries, 2) },
            groups = rows,
            perQuery = queries.Select(q => new
            {
                q.Id, q.Language, q.Kind, q.Text,
                engine = Score([q], engineRuns).Ndcg,
                baseline = Score([q], baselineRuns).Ndcg,
                engineTop = engineRuns[q.Id].Take(3).Select(id => $"{id}:{q.Judgments.GetValueOrDefault(id)}"),
            }),
        };
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, json);
        }
        var table = new StringBuilder("| group | queries | nDCG@10 engine | engine, no synonyms | baseline | recall@10 engine | no synonyms | baseline | MRR engine | no synonyms | baseline |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            table.Append(CultureInfo.InvariantCulture, $"| {r.group} | {r.queries} | {r.engine.Ndcg:F3} | {r.enginePreferredLabelsOnly.Ndcg:F3} | {r.baseline.Ndcg:F3} | {r.engine.Recall:F3} | {r.enginePreferredLabelsOnly.Recall:F3} | {r.baseline.Recall:F3} | {r.engine.Mrr:F3} | {r.enginePreferredLabelsOnly.Mrr:F3} | {r.baseline.Mrr:F3} |\n");
        }
        Console.WriteLine(table);
        return 0;
    }

    public sealed record Metrics(double Ndcg, double Recall, double Mrr);

    private static async Task<(Dictionary<string, IReadOnlyList<string>> Runs, double BuildSeconds, double MsPerQuery)> RunEngineAsync(
        IReadOnlyList<CorpusDoc> corpus, IReadOnlyList<JudgedQuery> queries, Thesaurus thesaurus)
    {
        var path = Path.Combine(Path.GetTempPath(), "th-relevance-" + Guid.NewGuid().ToString("N"));
        var runs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        try
        {
            using var engine = LuceneSearchEngine.Open(path, thesaurus);
            var clock = Stopwatch.StartNew();
            await engine.BulkAsync(corpus.Select(d => d.ToSearchDocument()));
            var build = clock.Elapsed.TotalSeconds;
            clock.Restart();
            foreach (var q in queries)
            {
                runs[q.Id] = (await engine.SearchAsync(new SearchQuery(q.Text, PageSize: K))).Hits.Select(h => h.Id).ToList();
            }
            return (runs, build, clock.Elapsed.TotalMilliseconds / queries.Count);
        }
        finally
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
    }

    /// <summary>Means over the queries: nDCG@10 with gains 2^grade − 1; recall@10 and MRR over the highly relevant documents (grade 2).</summary>
    public static Metrics Score(IReadOnlyList<JudgedQuery> queries, IReadOnlyDictionary<string, IReadOnlyList<string>> runs)
    {
        double ndcg = 0, recall = 0, mrr = 0;
        foreach (var q in queries)
        {
            var ranked = runs[q.Id].Take(K).ToList();
            var dcg = ranked.Select((id, i) => (Math.Pow(2, q.Judgments.GetValueOrDefault(id)) - 1) / Math.Log2(i + 2)).Sum();
            var ideal = q.Judgments.Values.OrderDescending().Take(K).Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
            ndcg += ideal == 0 ? 0 : dcg / ideal;
            var best = q.Judgments.Values.DefaultIfEmpty(0).Max();
            var targets = q.Judgments.Where(j => j.Value == best).Select(j => j.Key).ToHashSet(StringComparer.Ordinal);
            recall += targets.Count == 0 ? 0 : ranked.Count(targets.Contains) / (double)Math.Min(K, targets.Count);
            var first = ranked.FindIndex(targets.Contains);
            mrr += first < 0 ? 0 : 1.0 / (first + 1);
        }
        var n = Math.Max(1, queries.Count);
        return new Metrics(Math.Round(ndcg / n, 4), Math.Round(recall / n, 4), Math.Round(mrr / n, 4));
    }

    /// <summary>The baseline's table: the listings' texts with a generated 'simple' tsvector, a GIN index on it and a pg_trgm GIN index.</summary>
    public static async Task LoadBaselineAsync(NpgsqlConnection connection, IEnumerable<CorpusDoc> corpus, int count)
    {
        await using (var setup = new NpgsqlCommand("""
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            DROP TABLE IF EXISTS relevance_docs;
            CREATE TABLE relevance_docs (id text PRIMARY KEY, body text NOT NULL,
                tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);
            """, connection) { CommandTimeout = 0 })
        {
            await setup.ExecuteNonQueryAsync();
        }
        await using (var writer = await connection.BeginBinaryImportAsync("COPY relevance_docs (id, body) FROM STDIN (FORMAT BINARY)"))
        {
            var done = 0;
            foreach (var d in corpus)
            {
                if (++done % 20_000 == 0)
                {
                    Console.Write($"\rbaseline: copied {done}/{count}   ");
                }
                await writer.StartRowAsync();
                await writer.WriteAsync(d.Id);
                await writer.WriteAsync(string.Join("\n", new[] { d.Title, string.Join(" ; ", d.Keywords), d.Summary }
                    .Concat(d.Translations.SelectMany(t => new[] { t.Title, string.Join(" ; ", t.Keywords), t.Summary }))));
            }
            await writer.CompleteAsync();
        }
        await using var index = new NpgsqlCommand("""
            CREATE INDEX relevance_docs_tsv ON relevance_docs USING gin (tsv);
            CREATE INDEX relevance_docs_trgm ON relevance_docs USING gin (body gin_trgm_ops);
            ANALYZE relevance_docs;
            """, connection) { CommandTimeout = 0 };
        await index.ExecuteNonQueryAsync();
    }

    /// <summary>The baseline: every word of the query in the document ('simple' configuration), or the query similar to a run of the document's words (pg_trgm), ranked by ts_rank + word_similarity.</summary>
    public static async Task<IReadOnlyList<string>> BaselineSearchAsync(NpgsqlConnection connection, string text)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT id FROM relevance_docs, plainto_tsquery('simple', @q) query
            WHERE tsv @@ query OR @q <% body
            ORDER BY ts_rank(tsv, query) + word_similarity(@q, body) DESC, id
            LIMIT {K}
            """, connection) { CommandTimeout = 300 };
        command.Parameters.AddWithValue("q", text);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }
}
