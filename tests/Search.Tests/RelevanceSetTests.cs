using System.Text.Json;
using Lucene.Net.Store;
using TransferHub.Search.Analysis;
using TransferHub.Search.Concepts;
using TransferHub.Search.Lucene;

namespace TransferHub.Search.Tests;

/// <summary>
/// The judged relevance set (tests/Relevance/judged-queries.json over seeds/relevance/corpus.jsonl, written by
/// <c>TransferHub.Bench relevance-corpus</c>): its shape, and the embedded engine's quality on it as a regression floor.
/// The full comparison with the PostgreSQL baseline is bench/relevance.sh.
/// </summary>
public sealed class RelevanceSetTests
{
    private sealed record Doc(string Id, string Language, string Title, string Summary, List<string> Keywords, List<string> Concepts, List<Translation> Translations);

    private sealed record Translation(string Language, string Title, string Summary, List<string> Keywords);

    private sealed record Query(string Id, string Language, string Kind, string Text, List<string> Concepts, Dictionary<string, int> Judgments);

    private sealed record NaturalQuery(string Id, string Language, string Style, string Text, List<string> Concepts, Dictionary<string, int> Judgments);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static List<NaturalQuery> NaturalQueries() =>
        JsonSerializer.Deserialize<List<NaturalQuery>>(File.ReadAllText(Path.Combine(ThesaurusTests.SeedPath("relevance"), "..", "..", "tests", "Relevance", "natural-queries.json")), Json)!;

    private static List<Doc> Corpus() =>
        File.ReadLines(Path.Combine(ThesaurusTests.SeedPath("relevance"), "corpus.jsonl")).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<Doc>(l, Json)!).ToList();

    private static List<Query> Queries() =>
        JsonSerializer.Deserialize<List<Query>>(File.ReadAllText(Path.Combine(ThesaurusTests.SeedPath("relevance"), "..", "..", "tests", "Relevance", "judged-queries.json")), Json)!;

    [Fact]
    public void The_set_has_200_queries_in_all_16_languages_judged_over_2000_listings_in_all_16_languages()
    {
        var corpus = Corpus();
        var queries = Queries();
        var ids = corpus.Select(d => d.Id).ToHashSet();
        Assert.True(corpus.Count >= 2000, $"{corpus.Count} listings");
        Assert.True(queries.Count >= 200, $"{queries.Count} queries");
        Assert.Equal(LanguageAnalyzer.Languages.Order(), corpus.Select(d => d.Language).Distinct().Order());
        Assert.Equal(LanguageAnalyzer.Languages.Order(), queries.Select(q => q.Language).Distinct().Order());
        Assert.All(queries, q =>
        {
            Assert.Contains(2, q.Judgments.Values);
            Assert.All(q.Judgments.Keys, id => Assert.Contains(id, ids));
        });
        Assert.True(queries.Count(q => q.Kind == "cross-lingual") >= 60);
    }

    [Fact]
    public void The_natural_set_has_16_queries_of_every_style_mix_in_each_language_about_concepts_of_the_thesaurus()
    {
        var queries = NaturalQueries();
        var thesaurus = Thesaurus.Load(ThesaurusTests.SeedPath("thesaurus"));
        var ids = Corpus().Select(d => d.Id).ToHashSet();
        Assert.True(queries.Count >= 200, $"{queries.Count} natural queries");
        Assert.Equal(queries.Count, queries.Select(q => q.Id).Distinct().Count());
        Assert.All(LanguageAnalyzer.Languages, l => Assert.Equal(16, queries.Count(q => q.Language == l)));
        Assert.Equal(["noisy", "phrase", "question", "term", "two-concept", "variant"], queries.Select(q => q.Style).Distinct().Order());
        Assert.All(queries, q =>
        {
            Assert.All(q.Concepts, c => Assert.NotNull(thesaurus.Find(c)));
            Assert.Contains(q.Judgments.Values, g => g >= 2);
            Assert.All(q.Judgments.Keys, id => Assert.Contains(id, ids));
        });
    }

    [Fact]
    public async Task The_embedded_engine_ranks_the_judged_listings_first_in_every_language()
    {
        var thesaurus = Thesaurus.Load(ThesaurusTests.SeedPath("thesaurus"));
        var path = Path.Combine(Path.GetTempPath(), "th-relevance-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var engine = LuceneSearchEngine.Open(path, thesaurus);
            await engine.BulkAsync(Corpus().Select(d => new SearchDocument(d.Id, 1,
                [new LocalizedText(d.Language, d.Title, d.Summary, d.Keywords), .. d.Translations.Select(t => new LocalizedText(t.Language, t.Title, t.Summary, t.Keywords))],
                new Dictionary<string, IReadOnlyList<string>>())));
            var byLanguage = new Dictionary<string, List<double>>();
            var crossLingualRecall = new List<double>();
            foreach (var q in Queries())
            {
                var ranked = (await engine.SearchAsync(new SearchQuery(q.Text, PageSize: 10))).Hits.Select(h => h.Id).ToList();
                (byLanguage.TryGetValue(q.Language, out var list) ? list : byLanguage[q.Language] = []).Add(Ndcg(ranked, q.Judgments));
                if (q.Kind == "cross-lingual")
                {
                    var targets = q.Judgments.Where(j => j.Value == 2).Select(j => j.Key).ToHashSet();
                    crossLingualRecall.Add(ranked.Count(targets.Contains) / (double)Math.Min(10, targets.Count));
                }
            }
            var natural = new List<double>();
            foreach (var q in NaturalQueries())
            {
                var ranked = (await engine.SearchAsync(new SearchQuery(q.Text, PageSize: 10))).Hits.Select(h => h.Id).ToList();
                natural.Add(Ndcg(ranked, q.Judgments));
            }
            // Floors well under what bench/relevance.sh measures: a broken segmenter, folding or concept mapping falls through them.
            Assert.All(byLanguage, l => Assert.True(l.Value.Average() >= 0.85, $"nDCG@10 {l.Key} = {l.Value.Average():F3}"));
            Assert.True(crossLingualRecall.Average() >= 0.7, $"cross-lingual recall@10 = {crossLingualRecall.Average():F3}");
            Assert.True(natural.Average() >= 0.6, $"natural queries nDCG@10 = {natural.Average():F3}");
        }
        finally
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
    }

    /// <summary>nDCG@10 with gains 2^grade − 1, as bench/relevance.sh computes it.</summary>
    private static double Ndcg(List<string> ranked, Dictionary<string, int> judgments)
    {
        var dcg = ranked.Select((id, i) => (Math.Pow(2, judgments.GetValueOrDefault(id)) - 1) / Math.Log2(i + 2)).Sum();
        var ideal = judgments.Values.OrderDescending().Take(10).Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
        return dcg / ideal;
    }
}
