using System.Text.Json;
using System.Text.Json.Serialization;
using TransferHub.Search;
using TransferHub.Search.Concepts;

namespace TransferHub.Bench.Relevance;

/// <summary>A listing of the relevance corpus, with the concepts it was written about (main, second, third).</summary>
public sealed record CorpusDoc(string Id, string Language, string Title, string Summary, IReadOnlyList<string> Keywords,
    IReadOnlyList<string> Concepts, IReadOnlyList<CorpusTranslation> Translations)
{
    public SearchDocument ToSearchDocument(string? id = null) => new(id ?? Id, 1,
        [new LocalizedText(Language, Title, Summary, Keywords), .. Translations.Select(t => new LocalizedText(t.Language, t.Title, t.Summary, t.Keywords))],
        new Dictionary<string, IReadOnlyList<string>> { ["language"] = [Language, .. Translations.Select(t => t.Language)] },
        new Dictionary<string, string> { ["title"] = Title, ["summary"] = Summary, ["language"] = Language });
}

public sealed record CorpusTranslation(string Language, string Title, string Summary, IReadOnlyList<string> Keywords);

/// <summary>A judged query: its text and language, its kind, and the grade (2 highly relevant, 1 relevant) of each judged document.</summary>
public sealed record JudgedQuery(string Id, string Language, string Kind, string Text, IReadOnlyList<string> Concepts, IReadOnlyDictionary<string, int> Judgments);

/// <summary>
/// A query the team wrote the way users type them (<c>tests/Relevance/natural-queries.json</c>), not taken from the
/// thesaurus: its style (term, phrase, question, variant, two-concept, noisy), the concepts it is about, an English
/// gloss, whether its writer doubted the wording, and the judgments <c>relevance-judge</c> derived from the corpus.
/// </summary>
public sealed record NaturalQuery(string Id, string Language, string Style, string Text, IReadOnlyList<string> Concepts,
    string Meaning, bool Doubtful, int RelevantInLanguage, IReadOnlyDictionary<string, int> Judgments)
{
    /// <summary>No listing in the query's own language answers it: only other languages can.</summary>
    public bool CrossLingual => RelevantInLanguage == 0;

    /// <summary>The held-out half: queries with an even number are never looked at when the engine or thesaurus is tuned.</summary>
    public bool HeldOut => int.Parse(Id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % 2 == 0;

    public JudgedQuery ToJudged() => new(Id, Language, Style, Text, Concepts, Judgments);
}

/// <summary>
/// Writes the relevance corpus (<c>seeds/relevance/corpus.jsonl</c>) and the judged queries
/// (<c>tests/Relevance/judged-queries.json</c>) from the thesaurus and the per-language templates
/// (<c>seeds/relevance/templates.json</c>), deterministically (fixed seed). Each listing is written, in its language,
/// about a main concept and one or two others of the same field; its keywords name the first two. The judgments follow
/// from that: a document that declares the query's concept among its keywords (its first two concepts, both also in
/// most titles) is highly relevant (2); one that only mentions it in its summary is relevant (1). Queries are labels of
/// the concepts in the query's language: monolingual (relevant documents exist in that language), two-concept, and
/// cross-lingual (no document in the query's language is about it).
/// </summary>
public static class RelevanceCorpus
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Share of each language in the corpus (per mille), as the demo data: Chinese first, then English and the region.</summary>
    private static readonly (string Language, int PerMille)[] Mix =
    [
        ("zh", 300), ("en", 120), ("vi", 60), ("th", 60), ("lo", 35), ("km", 35), ("my", 40), ("id", 45), ("ms", 35), ("fil", 30),
        ("hi", 50), ("ne", 30), ("bn", 40), ("si", 30), ("ta", 40), ("ur", 50),
    ];

    /// <summary>The generator's seed: the same corpus on every machine.</summary>
    private const int Seed = 20261125;

    private sealed record Templates(List<string> Titles, List<string> Summaries, List<string> Fillers, List<string> Places, List<string> Orgs);

    public static int Generate(string root, int count)
    {
        var thesaurus = Thesaurus.Load(Path.Combine(root, "seeds", "thesaurus"));
        var random = new Random(Seed + 1);
        var concepts = thesaurus.Concepts.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var docs = Listings(root, thesaurus, count).ToList();
        var queries = Queries(docs, concepts, random);
        Directory.CreateDirectory(Path.Combine(root, "seeds", "relevance"));
        File.WriteAllLines(Path.Combine(root, "seeds", "relevance", "corpus.jsonl"), docs.Select(d => JsonSerializer.Serialize(d, Json)));
        Directory.CreateDirectory(Path.Combine(root, "tests", "Relevance"));
        File.WriteAllText(Path.Combine(root, "tests", "Relevance", "judged-queries.json"),
            "[\n" + string.Join(",\n", queries.Select(q => JsonSerializer.Serialize(q, Json))) + "\n]\n");
        Console.WriteLine($"relevance corpus: {docs.Count} listings in {docs.Select(d => d.Language).Distinct().Count()} languages; {queries.Count} judged queries");
        return 0;
    }

    /// <summary>
    /// <paramref name="count"/> synthetic listings in the language mix of the demo data, each about a main concept and one
    /// or two others of its field, written with the templates of its language (ids <c>rel-0000001</c>…); a fifth of the
    /// Chinese ones carry an English translation.
    /// </summary>
    public static IEnumerable<CorpusDoc> Listings(string root, Thesaurus thesaurus, int count)
    {
        var random = new Random(Seed);
        var templates = JsonSerializer.Deserialize<Dictionary<string, Templates>>(File.ReadAllText(Path.Combine(root, "seeds", "relevance", "templates.json")), Json)!;
        var concepts = thesaurus.Concepts.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var byField = concepts.GroupBy(c => c.Field).ToDictionary(g => g.Key, g => g.ToList());
        for (var i = 0; i < count; i++)
        {
            var language = PickLanguage(random);
            var main = concepts[random.Next(concepts.Count)];
            var field = byField[main.Field].Count >= 3 ? byField[main.Field] : concepts;
            var others = field.Where(c => c.Id != main.Id).OrderBy(_ => random.Next()).Take(1 + random.Next(2)).ToList();
            var about = new[] { main }.Concat(others).ToList();
            var (title, summary, keywords) = Write(templates[language], language, about, random);
            // the third concept is about the listing only if its template had a place for it
            about = about.Take(2).Concat(about.Skip(2).Where(c => c.Labels[language].Any(l => summary.Contains(l, StringComparison.Ordinal) || title.Contains(l, StringComparison.Ordinal)))).ToList();
            var translations = new List<CorpusTranslation>();
            if (language == "zh" && random.Next(5) == 0)
            {
                var (t, s, k) = Write(templates["en"], "en", about, random);
                translations.Add(new CorpusTranslation("en", t, s, k));
            }
            yield return new CorpusDoc($"rel-{i + 1:D7}", language, title, summary, keywords, about.Select(c => c.Id).ToList(), translations);
        }
    }

    private static string PickLanguage(Random random)
    {
        var x = random.Next(Mix.Sum(m => m.PerMille));
        foreach (var (language, perMille) in Mix)
        {
            if ((x -= perMille) < 0)
            {
                return language;
            }
        }
        return "zh";
    }

    private static string Label(Concept concept, string language, Random random)
    {
        var labels = concept.Labels[language];
        return labels[random.Next(labels.Count)];
    }

    private static (string Title, string Summary, List<string> Keywords) Write(Templates t, string language, List<Concept> about, Random random)
    {
        var labels = about.Select(c => Label(c, language, random)).ToList();
        string Fill(string template) => template
            .Replace("{main}", labels[0], StringComparison.Ordinal)
            .Replace("{second}", labels.ElementAtOrDefault(1) ?? labels[0], StringComparison.Ordinal)
            .Replace("{third}", labels.ElementAtOrDefault(2) ?? labels.ElementAtOrDefault(1) ?? labels[0], StringComparison.Ordinal)
            .Replace("{org}", t.Orgs[random.Next(t.Orgs.Count)], StringComparison.Ordinal)
            .Replace("{place}", t.Places[random.Next(t.Places.Count)], StringComparison.Ordinal)
            .Replace("{number}", (5 + random.Next(95)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{percent}", (5 + random.Next(60)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var separator = language is "zh" or "th" or "lo" or "km" or "my" ? "" : " ";
        var summary = Fill(t.Summaries[random.Next(t.Summaries.Count)]) + separator +
            string.Join(separator, Enumerable.Range(0, 1 + random.Next(2)).Select(_ => Fill(t.Fillers[random.Next(t.Fillers.Count)])));
        return (Fill(t.Titles[random.Next(t.Titles.Count)]), summary, labels.Take(2).ToList());
    }

    private static List<JudgedQuery> Queries(List<CorpusDoc> docs, List<Concept> concepts, Random random)
    {
        var queries = new List<JudgedQuery>();
        foreach (var (language, _) in Mix)
        {
            var inLanguage = docs.Where(d => d.Language == language || d.Translations.Any(t => t.Language == language)).ToList();
            var mentioned = inLanguage.SelectMany(d => d.Concepts).ToHashSet(StringComparer.Ordinal);
            var monolingual = inLanguage.Select(d => d.Concepts[0]).Distinct().OrderBy(_ => random.Next()).Take(6).ToList();
            var crossLingual = concepts.Select(c => c.Id).Where(id => !mentioned.Contains(id) && docs.Any(d => d.Concepts[0] == id))
                .OrderBy(_ => random.Next()).Take(5).ToList();
            var pairs = inLanguage.Where(d => d.Concepts.Count >= 2).OrderBy(_ => random.Next()).Take(2).Select(d => d.Concepts.Take(2).ToList()).ToList();
            foreach (var id in monolingual)
            {
                queries.Add(Single(queries.Count, language, "monolingual", id));
            }
            foreach (var pair in pairs)
            {
                var separator = language is "zh" or "th" or "lo" or "km" or "my" ? "" : " ";
                var text = string.Join(separator, pair.Select(id => Label(concepts.First(c => c.Id == id), language, random)));
                var judgments = docs.Where(d => d.Concepts.Intersect(pair).Any())
                    .ToDictionary(d => d.Id, d => pair.All(d.Concepts.Contains) ? 2 : 1, StringComparer.Ordinal);
                queries.Add(new JudgedQuery($"q{queries.Count + 1:D3}", language, "two-concept", text, pair, judgments));
            }
            foreach (var id in crossLingual)
            {
                queries.Add(Single(queries.Count, language, "cross-lingual", id));
            }
        }
        return queries;

        JudgedQuery Single(int n, string language, string kind, string id)
        {
            var concept = concepts.First(c => c.Id == id);
            var judgments = docs.Where(d => d.Concepts.Contains(id))
                .ToDictionary(d => d.Id, d => d.Concepts.Take(2).Contains(id) ? 2 : 1, StringComparer.Ordinal);
            return new JudgedQuery($"q{n + 1:D3}", language, kind, Label(concept, language, random), [id], judgments);
        }
    }

    /// <summary>
    /// Judges the natural queries (<c>tests/Relevance/natural-queries.json</c>) against the corpus by the concepts its
    /// listings were written about, as the generated queries are: 2 if one of the query's concepts is among the listing's
    /// first two (its keywords), 1 if only its summary has one; and for a query about several concepts 3 if the listing
    /// has them all ("drip irrigation for sugarcane": a listing about drip irrigation, or about sugarcane, answers it in
    /// part; one about both answers it best — few listings of the corpus combine two given concepts). Rewrites the file
    /// with the judgments and the number of relevant listings in the query's own language; refuses a query no listing
    /// answers at grade 2 (exit 1, naming it), so every query can be scored.
    /// </summary>
    public static int Judge(string root)
    {
        var docs = LoadCorpus(root);
        var path = Path.Combine(root, "tests", "Relevance", "natural-queries.json");
        var queries = JsonSerializer.Deserialize<List<NaturalQuery>>(File.ReadAllText(path), Json)!;
        var judged = new List<NaturalQuery>();
        var unanswered = new List<string>();
        foreach (var q in queries)
        {
            var judgments = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var inLanguage = 0;
            foreach (var d in docs)
            {
                var grade = q.Concepts.Count > 1 && q.Concepts.All(d.Concepts.Contains) ? 3
                    : q.Concepts.Any(d.Concepts.Take(2).Contains) ? 2
                    : q.Concepts.Any(d.Concepts.Contains) ? 1 : 0;
                if (grade == 0)
                {
                    continue;
                }
                judgments[d.Id] = grade;
                if (d.Language == q.Language || d.Translations.Any(t => t.Language == q.Language))
                {
                    inLanguage++;
                }
            }
            if (!judgments.Values.Any(g => g >= 2))
            {
                unanswered.Add($"{q.Id} ({q.Language}, {string.Join("+", q.Concepts)})");
            }
            judged.Add(q with { RelevantInLanguage = inLanguage, Judgments = judgments });
        }
        if (unanswered.Count > 0)
        {
            Console.Error.WriteLine($"relevance-judge: no listing answers these queries at grade 2; choose other concepts: {string.Join(", ", unanswered)}");
            return 1;
        }
        File.WriteAllText(path, "[\n" + string.Join(",\n", judged.Select(q => JsonSerializer.Serialize(q, Json))) + "\n]\n");
        Console.WriteLine($"relevance-judge: {judged.Count} natural queries in {judged.Select(q => q.Language).Distinct().Count()} languages judged over {docs.Count} listings; " +
            $"{judged.Count(q => q.CrossLingual)} answered only in other languages");
        return 0;
    }

    public static List<NaturalQuery> LoadNaturalQueries(string root) =>
        JsonSerializer.Deserialize<List<NaturalQuery>>(File.ReadAllText(Path.Combine(root, "tests", "Relevance", "natural-queries.json")), Json)!;

    public static List<CorpusDoc> LoadCorpus(string root) =>
        File.ReadLines(Path.Combine(root, "seeds", "relevance", "corpus.jsonl")).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<CorpusDoc>(l, Json)!).ToList();

    public static List<JudgedQuery> LoadQueries(string root) =>
        JsonSerializer.Deserialize<List<JudgedQuery>>(File.ReadAllText(Path.Combine(root, "tests", "Relevance", "judged-queries.json")), Json)!;
}
