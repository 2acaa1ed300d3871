using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ICU4N.Text;
using TransferHub.Search.Analysis;

namespace TransferHub.Search.Concepts;

/// <summary>A concept of the thesaurus: an id, its field of technology, and its labels (preferred first) per language.</summary>
public sealed record Concept(string Id, string Field, IReadOnlyDictionary<string, IReadOnlyList<string>> Labels);

/// <summary>A concept found in a text: which concept, in which language, by which label; where in the text (characters).</summary>
public sealed record ConceptMatch(string ConceptId, string Language, string Label)
{
    public int Start { get; init; }

    public int End { get; init; }
}

/// <summary>
/// The concept thesaurus (<c>seeds/thesaurus/*.json</c>): maps the terms of a text in any of the 16 languages to concept
/// ids, so a query in one language finds documents written only in another. Labels are matched the way each language is
/// written: in Chinese, Thai, Lao, Khmer and Burmese (no spaces between words) as a run of characters (case and spaces
/// ignored, Zawgyi converted), elsewhere as a sequence of whole words analysed like the documents (case and diacritics
/// folded: "công nghệ" finds the label "Công nghệ"). The longest label at a position wins, so "solar dryer" is not also
/// "dryer".
/// </summary>
/// <summary>The concepts of a document's texts in one language: all it mentions, and those of its titles and keywords.</summary>
public sealed record DocumentConcepts(IReadOnlyList<string> Mentioned, IReadOnlyList<string> About);

public sealed class Thesaurus
{
    private static readonly FrozenSet<string> Unspaced = new[] { "zh", "th", "lo", "km", "my" }.ToFrozenSet();

    /// <summary>
    /// Languages that write case endings and postpositions onto the word (Tamil கடல் நீரை "sea water" + accusative,
    /// Bengali হাসপাতালের "of the hospital", Nepali होटलको, Sinhala, Hindi and Urdu oblique forms): a label's word matches
    /// a text word that begins with it (see <see cref="Node.Longest"/>).
    /// </summary>
    private static readonly FrozenSet<string> Inflecting = new[] { "ta", "si", "bn", "ne", "hi", "ur" }.ToFrozenSet();

    /// <summary>
    /// Languages whose labels a text is also read with, because its writers use those words as their own and both are
    /// analysed alike: Malay and Indonesian share most of their technical vocabulary, Hindi and Nepali their Sanskrit
    /// and English loanwords, and Indonesian, Malay and Filipino listings write English terms as they are ("solar
    /// panel", "PCR", "cold storage"). So a Malay listing that says "panel surya" has the concept although only the
    /// Indonesian labels say it. Not Vietnamese: its toneless syllables meet English acronyms ("gan" is liver, GaN a
    /// semiconductor). Queries are read with every language anyway (<see cref="FindInQuery"/>).
    /// </summary>
    private static readonly FrozenDictionary<string, string[]> Kin = new Dictionary<string, string[]>
    {
        ["ms"] = ["id", "en"], ["id"] = ["ms", "en"], ["fil"] = ["en"], ["hi"] = ["ne"], ["ne"] = ["hi"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The shortest label word (UTF-16 units) that may carry an ending, and the longest ending.</summary>
    private const int StemMin = 4, EndingMax = 8;

    private readonly FrozenDictionary<string, Concept> concepts;
    private readonly FrozenDictionary<string, Node> tries;
    private readonly FrozenDictionary<string, LanguageAnalyzer> analyzers;

    public Thesaurus(IEnumerable<Concept> concepts)
    {
        this.concepts = concepts.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        analyzers = LanguageAnalyzer.Languages.Where(l => !Unspaced.Contains(l))
            .ToFrozenDictionary(l => l, l => new LanguageAnalyzer(l), StringComparer.Ordinal);
        var roots = LanguageAnalyzer.Languages.ToDictionary(l => l, _ => new Node(), StringComparer.Ordinal);
        foreach (var language in LanguageAnalyzer.Languages)
        {
            foreach (var concept in this.concepts.Values)
            {
                // its own labels, then those of its kin read as this language (the same analysis: see Kin)
                foreach (var from in Kin.GetValueOrDefault(language, []).Prepend(language))
                {
                    foreach (var label in concept.Labels.GetValueOrDefault(from) ?? [])
                    {
                        var (symbols, _, _) = Symbols(label, language, withBoundaries: false);
                        if (symbols.Count > 0)
                        {
                            roots[language].Add(symbols, new ConceptMatch(concept.Id, from, label));
                        }
                    }
                }
            }
        }
        tries = roots.ToFrozenDictionary(StringComparer.Ordinal);
        fingerprint = new Lazy<string>(ComputeFingerprint);
    }

    public static Thesaurus Empty { get; } = new([]);

    /// <summary>
    /// Bumped when the way labels are matched changes (analysis, <see cref="Kin"/>, endings), so indexes built before
    /// are known to hold other concepts (see <see cref="Fingerprint"/>).
    /// </summary>
    private const int MatchingVersion = 2;

    /// <summary>
    /// A digest of the concepts with their labels and of <see cref="MatchingVersion"/>: an index records the fingerprint of
    /// the thesaurus its documents were read with, so an engine started with another one knows its concepts are outdated.
    /// </summary>
    public string Fingerprint => fingerprint.Value;

    private readonly Lazy<string> fingerprint;

    private string ComputeFingerprint()
    {
        var text = new StringBuilder().Append(MatchingVersion).Append('\n');
        foreach (var concept in concepts.Values.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            text.Append(concept.Id).Append('\u0001').Append(concept.Field);
            foreach (var (language, labels) in concept.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                text.Append('\u0002').Append(language);
                foreach (var label in labels)
                {
                    text.Append('\u0003').Append(label);
                }
            }
            text.Append('\n');
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    public IReadOnlyCollection<Concept> Concepts => concepts.Values;

    public Concept? Find(string id) => concepts.GetValueOrDefault(id);

    /// <summary>The thesaurus shipped with the application (<c>thesaurus/</c> beside the assemblies, copied from <c>seeds/thesaurus</c>).</summary>
    public static Thesaurus LoadDefault() => Load(Path.Combine(AppContext.BaseDirectory, "thesaurus"));

    /// <summary>Loads every <c>*.json</c> file of <paramref name="directory"/> (<c>{"group", "concepts": [{"id", "field", "labels"}]}</c>).</summary>
    public static Thesaurus Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Thesaurus directory '{directory}' not found; it ships in seeds/thesaurus (set Search:ThesaurusPath to its location).");
        }
        var all = new List<Concept>();
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            var group = JsonSerializer.Deserialize<GroupFile>(stream, JsonOptions)
                ?? throw new InvalidDataException($"{file}: empty thesaurus file.");
            foreach (var c in group.Concepts ?? [])
            {
                if (string.IsNullOrWhiteSpace(c.Id) || c.Labels is null)
                {
                    throw new InvalidDataException($"{file}: a concept without id or labels.");
                }
                all.Add(new Concept(c.Id, c.Field ?? "other",
                    c.Labels.ToDictionary(l => l.Key, l => (IReadOnlyList<string>)l.Value.Where(x => !string.IsNullOrWhiteSpace(x)).ToList(),
                        StringComparer.Ordinal)));
            }
        }
        var duplicate = all.GroupBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? new Thesaurus(all) : throw new InvalidDataException($"Concept id '{duplicate.Key}' is defined twice in {directory}.");
    }

    /// <summary>The concepts found in <paramref name="text"/> read as <paramref name="language"/> (each once, in order of appearance).</summary>
    public IReadOnlyList<ConceptMatch> FindIn(string text, string language)
    {
        if (string.IsNullOrWhiteSpace(text) || !tries.TryGetValue(language, out var root) || concepts.Count == 0)
        {
            return [];
        }
        var (symbols, boundaries, spans) = Symbols(text, language, withBoundaries: true);
        var exact = language == "vi" ? ExactWords(text, analyzers[language]) : null;
        var found = new List<ConceptMatch>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < symbols.Count; i++)
        {
            if (boundaries is not null && !boundaries[i])
            {
                continue;
            }
            var (match, length) = root.Longest(symbols, i, boundaries, Inflecting.Contains(language));
            if (match is not null && exact is not null)
            {
                match = match.Where(m => SameTones(ExactWords(m.Label, analyzers[language]), exact, i)).ToList();
            }
            if (match is { Count: > 0 })
            {
                foreach (var m in match.Where(m => seen.Add(m.ConceptId)))
                {
                    found.Add(m with { Start = spans[i].Start, End = spans[i + length - 1].End });
                }
                i += length - 1;
            }
        }
        return found;
    }

    /// <summary>
    /// The concepts of a query whose language is not known: its text read as every language (a Latin-script query may be
    /// English, Indonesian or Vietnamese without its accents). The longest match wins across languages too: "hybrid rice"
    /// is the concept hybrid rice, not also rice because some language labels "rice" alone. Each concept once.
    /// </summary>
    public IReadOnlyList<ConceptMatch> FindInQuery(string text)
    {
        var all = LanguageAnalyzer.Languages.SelectMany(language => FindIn(text, language)).ToList();
        return all.Where(m => !all.Any(o => o.End - o.Start > m.End - m.Start && o.Start <= m.Start && o.End >= m.End))
            .DistinctBy(m => m.ConceptId, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The concept ids of a document per language, in one reading of its texts: <c>Mentioned</c>, what its title,
    /// keywords and summary in that language mention; <c>About</c>, those of its title and keywords (what it is about
    /// rather than what it mentions). Titles with keywords and summaries are read apart, so a label never spans both.
    /// </summary>
    public IReadOnlyDictionary<string, DocumentConcepts> ConceptsOf(SearchDocument document) =>
        document.Texts.GroupBy(t => t.Language, StringComparer.Ordinal).ToDictionary(g => g.Key, g =>
        {
            var about = g.SelectMany(t => FindIn($"{t.Title}\n{string.Join("\n", t.Keywords)}", t.Language)).Select(m => m.ConceptId)
                .Distinct(StringComparer.Ordinal).ToList();
            var mentioned = about.Concat(g.SelectMany(t => FindIn(t.Summary, t.Language)).Select(m => m.ConceptId))
                .Distinct(StringComparer.Ordinal).ToList();
            return new DocumentConcepts(mentioned, about);
        }, StringComparer.Ordinal);

    /// <summary>
    /// What labels are matched on: characters (without spaces, lower case, Zawgyi converted) for unspaced scripts,
    /// the analysed words otherwise. Text and labels go through the same function, so they meet. For Thai, Lao, Khmer and
    /// Burmese <c>boundaries[i]</c> says whether a word starts at symbol i (ICU's dictionary), so a short label does not
    /// match inside a longer word (Thai ชา "tea" inside ชาว "people"); for Chinese, only inside runs of Latin letters and
    /// digits is there no boundary. The extra last entry is the end of the text.
    /// </summary>
    private (List<string> Symbols, bool[]? Boundaries, List<(int Start, int End)> Spans) Symbols(string text, string language, bool withBoundaries)
    {
        if (!Unspaced.Contains(language))
        {
            var tokens = analyzers[language].Tokens(text);
            return ([.. tokens.Select(t => t.Term)], null, [.. tokens.Select(t => (t.Start, t.End))]);
        }
        // only the language's own normalisation (TextNormalization): the engines have normalised their texts already
        var own = language switch { "my" => Zawgyi.ToUnicode(text), "lo" => TextNormalization.LaoComposed(text), _ => text };
        var normalized = own.Normalize(NormalizationForm.FormC).ToLower(CultureInfo.InvariantCulture);
        var symbols = new List<string>(normalized.Length);
        var starts = new List<int>(normalized.Length + 1);
        var e = StringInfo.GetTextElementEnumerator(normalized);
        while (e.MoveNext())
        {
            var element = (string)e.Current;
            if (!string.IsNullOrWhiteSpace(element) && element[0] is not ('\u200B' or '\u200C' or '\u200D' or '\uFEFF'))
            {
                symbols.Add(element);
                starts.Add(e.ElementIndex);
            }
        }
        var spans = symbols.Select((symbol, i) => (starts[i], starts[i] + symbol.Length)).ToList();
        if (!withBoundaries)
        {
            return (symbols, null, spans);
        }
        if (language == "zh")
        {
            // Chinese has no word boundaries, but the Latin words inside it do: "RPA" is not in "freezer para".
            var latin = new bool[symbols.Count + 1];
            for (var i = 0; i <= symbols.Count; i++)
            {
                latin[i] = i == symbols.Count || i == 0 || !IsLatinOrDigit(symbols[i]) || !IsLatinOrDigit(symbols[i - 1]) ||
                    starts[i] > starts[i - 1] + symbols[i - 1].Length;
            }
            return (symbols, latin, spans);
        }
        var words = WordBreaks.Value![language];
        words.SetText(normalized);
        var breaks = new HashSet<int>();
        for (var b = words.First(); b != BreakIterator.Done; b = words.Next())
        {
            breaks.Add(b);
        }
        var boundaries = new bool[symbols.Count + 1];
        for (var i = 0; i < symbols.Count; i++)
        {
            // A break right before the symbol, or only spaces / zero-width characters between the previous symbol and this one.
            boundaries[i] = breaks.Contains(starts[i]) || (i > 0 && starts[i] > starts[i - 1] + symbols[i - 1].Length);
        }
        boundaries[symbols.Count] = true;
        return (symbols, boundaries, spans);
    }

    private static bool IsLatinOrDigit(string symbol) => symbol[0] <= '\u024F' && char.IsLetterOrDigit(symbol[0]);

    /// <summary>The words of a Vietnamese text as written (lower case, tones kept), one per analysed term.</summary>
    private static List<string> ExactWords(string text, LanguageAnalyzer analyzer)
    {
        var normalized = text.Normalize(NormalizationForm.FormC);
        return [.. analyzer.Tokens(normalized).Select(t => normalized[t.Start..t.End].ToLower(CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Vietnamese tones tell words apart that fold to the same letters ("chế biến" is processing, "chè" is tea): a word of
    /// the text written with marks must be the label's word exactly; a word typed without them ("che") matches folded.
    /// </summary>
    private static bool SameTones(List<string> label, List<string> text, int from)
    {
        for (var k = 0; k < label.Count && from + k < text.Count; k++)
        {
            var word = text[from + k];
            if (HasMarks(word) && !string.Equals(word, label[k], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasMarks(string word) =>
        word.Normalize(NormalizationForm.FormD).Any(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) || word.Contains('đ');

    private sealed class Node
    {
        private Dictionary<string, Node>? children;
        private List<ConceptMatch>? matches;

        public void Add(List<string> symbols, ConceptMatch match)
        {
            var node = this;
            foreach (var s in symbols)
            {
                node.children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
                if (!node.children.TryGetValue(s, out var next))
                {
                    node.children[s] = next = new Node();
                }
                node = next;
            }
            (node.matches ??= []).Add(match);
        }

        /// <summary>
        /// The longest label starting at <paramref name="from"/>, and how many symbols it covers. With
        /// <paramref name="endings"/>, a label word of <see cref="StemMin"/> or more units also matches a text word that
        /// is that word plus an ending of up to <see cref="EndingMax"/> units (the word itself first, then its longest
        /// stem).
        /// </summary>
        public (List<ConceptMatch>? Matches, int Length) Longest(List<string> symbols, int from, bool[]? boundaries, bool endings = false)
        {
            (List<ConceptMatch>? Matches, int Length) best = (null, 0);
            var node = this;
            for (var i = from; i < symbols.Count && node.Next(symbols[i], endings) is { } next; i++)
            {
                node = next;
                if (node.matches is not null && (boundaries is null || boundaries[i + 1]))
                {
                    best = (node.matches, i - from + 1);
                }
            }
            return best;
        }

        private Node? Next(string symbol, bool endings)
        {
            if (children is null)
            {
                return null;
            }
            if (children.TryGetValue(symbol, out var exact) || !endings)
            {
                return exact;
            }
            var lookup = children.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var length = symbol.Length - 1; length >= Math.Max(StemMin, symbol.Length - EndingMax); length--)
            {
                if (lookup.TryGetValue(symbol.AsSpan(0, length), out var stem))
                {
                    return stem;
                }
            }
            return null;
        }
    }

    /// <summary>ICU word break iterators are costly to create and not thread-safe: one per thread and language.</summary>
    private static readonly ThreadLocal<Dictionary<string, BreakIterator>> WordBreaks = new(() =>
        new[] { "th", "lo", "km", "my" }.ToDictionary(l => l, l => BreakIterator.GetWordInstance(new CultureInfo(l)), StringComparer.Ordinal));

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private sealed record GroupFile(string? Group, List<ConceptFile>? Concepts);

    private sealed record ConceptFile(string? Id, string? Field, Dictionary<string, List<string>>? Labels);
}
