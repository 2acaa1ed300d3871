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
        var generated = RelevanceCorpus.LoadQueries(root);
        var natural = RelevanceCorpus.LoadNaturalQueries(root);
        // Both sets run in one pass of each engine; their groups are reported apart.
        var queries = generated.Concat(natural.Select(q => q.ToJudged())).ToList();
        var thesaurus = Thesaurus.Load(Path.Combine(root, "seeds", "thesaurus"));
        Console.WriteLine($"relevance: {corpus.Count} listings, {generated.Count} generated and {natural.Count} natural queries, {thesaurus.Concepts.Count} concepts");

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

        var groups = generated.GroupBy(q => q.Language).Select(g => (Name: g.Key, Queries: g.ToList()))
            .Concat(generated.GroupBy(q => q.Kind).Select(g => (Name: "kind:" + g.Key, Queries: g.ToList())))
            .Append((Name: "all", Queries: generated)).ToList();
        // The natural set by language, by style, by whether the query's own language has answers, and in the two halves
        // (odd numbers may be looked at when tuning; even numbers are held out).
        var naturalGroups = natural.GroupBy(q => q.Language).Select(g => (Name: g.Key, Queries: g.ToList()))
            .Concat(natural.GroupBy(q => q.Style).Select(g => (Name: "style:" + g.Key, Queries: g.ToList())))
            .Append((Name: "answered only in other languages", Queries: natural.Where(q => q.CrossLingual).ToList()))
            .Append((Name: "answered in its own language too", Queries: natural.Where(q => !q.CrossLingual).ToList()))
            .Append((Name: "th/lo/km/my", Queries: natural.Where(q => q.Language is "th" or "lo" or "km" or "my").ToList()))
            .Append((Name: "written without doubt", Queries: natural.Where(q => !q.Doubtful).ToList()))
            .Append((Name: "tuning half (odd)", Queries: natural.Where(q => !q.HeldOut).ToList()))
            .Append((Name: "held-out half (even)", Queries: natural.Where(q => q.HeldOut).ToList()))
            .Append((Name: "all", Queries: natural)).Select(g => (g.Name, Queries: g.Queries.Select(q => q.ToJudged()).ToList())).ToList();
        object Row((string Name, List<JudgedQuery> Queries) g) => new
        {
            group = g.Name,
            queries = g.Queries.Count,
            engine = Score(g.Queries, engineRuns),
            enginePreferredLabelsOnly = Score(g.Queries, reducedRuns),
            baseline = Score(g.Queries, baselineRuns),
        };
        var rows = groups.Select(Row).ToList();
        var naturalRows = naturalGroups.Select(Row).ToList();
        var report = new
        {
            at = DateTimeOffset.UtcNow,
            commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"),
            corpus = corpus.Count,
            judgedQueries = generated.Count,
            naturalQueries = natural.Count,
            concepts = thesaurus.Concepts.Count,
            engine = new { indexSeconds = Math.Round(engineBuild, 2), msPerQuery = Math.Round(engineQueries, 2) },
            baseline = new { loadSeconds = Math.Round(baselineBuild, 2), msPerQuery = Math.Round(baselineQueries, 2) },
            groups = rows,
            natural = naturalRows,
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
        Console.WriteLine("generated queries (thesaurus labels)");
        Console.WriteLine(Table(groups, engineRuns, reducedRuns, baselineRuns));
        Console.WriteLine("natural queries (written as users type them)");
        Console.WriteLine(Table(naturalGroups, engineRuns, reducedRuns, baselineRuns));
        return 0;
    }

    private static StringBuilder Table(IEnumerable<(string Name, List<JudgedQuery> Queries)> groups, params IReadOnlyDictionary<string, IReadOnlyList<string>>[] runs)
    {
        var table = new StringBuilder("| group | queries | nDCG@10 engine | no synonyms | baseline | recall@10 engine | no synonyms | baseline | MRR engine | no synonyms | baseline |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var (name, queries) in groups)
        {
            var m = runs.Select(r => Score(queries, r)).ToList();
            table.Append(CultureInfo.InvariantCulture, $"| {name} | {queries.Count} | {string.Join(" | ", m.Select(x => x.Ndcg.ToString("F3", CultureInfo.InvariantCulture)))} | " +
                $"{string.Join(" | ", m.Select(x => x.Recall.ToString("F3", CultureInfo.InvariantCulture)))} | {string.Join(" | ", m.Select(x => x.Mrr.ToString("F3", CultureInfo.InvariantCulture)))} |\n");
        }
        return table;
    }

    /// <summary>
    /// <c>relevance-explain [ID…]</c>: for natural queries (all of the tuning half when no id is given, which the held-out
    /// half never is), what the engine made of each — the concepts it found in the query, the labels its judged concepts
    /// have in the query's language, and its top hits with their grades: where thesaurus coverage or matching falls short.
    /// </summary>
    public static async Task<int> ExplainAsync(string root, IReadOnlyList<string> ids)
    {
        var corpus = RelevanceCorpus.LoadCorpus(root);
        var thesaurus = Thesaurus.Load(Path.Combine(root, "seeds", "thesaurus"));
        var natural = RelevanceCorpus.LoadNaturalQueries(root)
            .Where(q => ids.Count > 0 ? ids.Contains(q.Id) : !q.HeldOut).ToList();
        var path = Path.Combine(Path.GetTempPath(), "th-relevance-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var engine = LuceneSearchEngine.Open(path, thesaurus);
            await engine.BulkAsync(corpus.Select(d => d.ToSearchDocument()));
            foreach (var q in natural)
            {
                var result = await engine.SearchAsync(new SearchQuery(q.Text, PageSize: K));
                var ranked = result.Hits.Select(h => h.Id).ToList();
                var ndcg = Score([q.ToJudged()], new Dictionary<string, IReadOnlyList<string>> { [q.Id] = ranked }).Ndcg;
                Console.WriteLine($"{q.Id} {q.Language} {q.Style} nDCG {ndcg:F2}{(result.Relaxed ? " relaxed" : "")}: {q.Text}  ({q.Meaning})");
                Console.WriteLine($"  found: {string.Join(", ", thesaurus.FindInQuery(q.Text).Select(m => $"{m.ConceptId} [{m.Language}: {m.Label}]"))}");
                foreach (var id in q.Concepts)
                {
                    Console.WriteLine($"  wanted {id}: {string.Join(" | ", thesaurus.Find(id)?.Labels.GetValueOrDefault(q.Language) ?? [])}");
                }
                Console.WriteLine($"  top: {string.Join(" ", ranked.Select(id => $"{id}:{q.Judgments.GetValueOrDefault(id)}"))} of {result.Total}");
            }
            return 0;
        }
        finally
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
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

    /// <summary>Means over the queries: nDCG@10 with gains 2^grade − 1; recall@10 and MRR over the most relevant documents (the highest grade judged: 2, or 3 for a listing about all of a natural query's concepts).</summary>
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
