using System.Collections.Concurrent;
using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using NIOFSDirectory = Lucene.Net.Store.NIOFSDirectory;
using Lucene.Net.Util;
using TransferHub.Search.Analysis;
using TransferHub.Search.Concepts;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TransferHub.Search.Lucene;

/// <summary>
/// The embedded engine on Lucene.Net 4.8: one index per collection, a text field per language and part (title, summary,
/// keywords) analysed by that language's <see cref="LanguageAnalyzer"/>, the thesaurus concepts found in each language's
/// text as keywords (<c>concept_{lang}</c>), facets and sort values as doc values, versions checked under one writer lock
/// (deletions leave a tombstone with their version), a near-real-time searcher, and a commit after every write so an
/// acknowledged change survives a crash.
/// </summary>
public sealed class LuceneSearchEngine : ISearchEngine
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string IdField = "id";
    private const string IdSortField = "id_sort";
    private const string VersionField = "version";
    private const string DeletedField = "deleted";
    private const string LanguageField = "lang";
    private const string ConceptsStoredField = "concept_langs";
    private const string ConceptField = "concept";
    private const string MainConceptField = "concept_main";
    private const string LatinField = "latin";

    /// <summary>The languages written in Latin script: their own fields take a Latin query's words.</summary>
    private static readonly IReadOnlySet<string> LatinLanguages = new HashSet<string>(["en", "vi", "id", "ms", "fil"], StringComparer.Ordinal);
    private const string StoredPrefix = "s_";
    private const string NumberPrefix = "n_";
    private const string SuggestPrefix = "suggest_";
    private const char SuggestSeparator = '\u0001';
    private const float ConceptBoost = 2f;
    private static readonly (string Part, float Boost)[] Parts = [("title", 3f), ("keywords", 2f), ("summary", 1f)];

    private readonly LuceneDirectory directory;
    private readonly Thesaurus thesaurus;
    private readonly IndexWriter writer;
    private readonly SearcherManager searchers;
    private readonly Dictionary<string, LanguageAnalyzer> analyzers;
    private readonly LatinWordsAnalyzer latinWords = new();
    private readonly ConcurrentDictionary<string, long> versions = new(StringComparer.Ordinal);
    private readonly Lock writeLock = new();
    private readonly SemaphoreSlim rebuilding = new(1, 1);

    /// <summary>The ids written by index, delete or bulk while a rebuild runs (under the write lock): the rebuild leaves them as they are.</summary>
    private HashSet<string>? writtenDuringRebuild;

    /// <summary>
    /// The engine on an index directory on disk, read through <see cref="NIOFSDirectory"/>. Not the memory-mapped directory
    /// that <c>FSDirectory.Open</c> picks: Lucene.Net's MMapDirectory tracks every clone of an input (each term lookup,
    /// postings or stored-fields read clones one) with a weak reference, and in a long-running process the garbage
    /// collector's pauses grew with them — 2.3 s, then 5.7, 9.4 and 21.4 s of pauses per 800 queries in four passes over a
    /// 1 M index (p50 6 → 26 ms); with NIOFSDirectory 0.7 s per pass, steady (docs/search.md).
    /// </summary>
    public static LuceneSearchEngine Open(string path, Thesaurus? thesaurus = null) => new(new NIOFSDirectory(path), thesaurus);

    public LuceneSearchEngine(LuceneDirectory directory, Thesaurus? thesaurus = null)
    {
        this.directory = directory;
        this.thesaurus = thesaurus ?? Thesaurus.Empty;
        analyzers = LanguageAnalyzer.Languages.ToDictionary(l => l, l => new LanguageAnalyzer(l), StringComparer.Ordinal);
        var perField = Parts.SelectMany(p => LanguageAnalyzer.Languages.Select(l => (Field: TextField(p.Part, l), Analyzer: (Analyzer)analyzers[Group(l)])))
            .DistinctBy(x => x.Field).ToDictionary(x => x.Field, x => x.Analyzer);
        perField[LatinField] = latinWords;
        var analyzer = new PerFieldAnalyzerWrapper(new KeywordAnalyzer(), perField);
        // an index written with another layout of fields is emptied: the owning service refills an empty index from its database
        var existing = DirectoryReader.IndexExists(directory) ? ReadCommitData(directory) : null;
        var outdated = existing is not null && existing.GetValueOrDefault(SchemaKey) != Schema;
        // fewer segments than Lucene's default (10 per tier): every query term is looked up in every segment, which at 1 M
        // listings (22 segments) was half of a query's time and most of its garbage; 4 per tier keeps about a third of that
        var merges = new TieredMergePolicy { SegmentsPerTier = 4, MaxMergeAtOnce = 4 };
        writer = new IndexWriter(directory, new IndexWriterConfig(Version, analyzer)
        {
            OpenMode = outdated ? OpenMode.CREATE : OpenMode.CREATE_OR_APPEND,
            MergePolicy = merges,
        });
        // the thesaurus the documents' concepts come from: this engine's for an empty index, else the one recorded
        indexedThesaurus = writer.NumDocs == 0 ? this.thesaurus.Fingerprint : existing?.GetValueOrDefault(ThesaurusKey) ?? "";
        writer.SetCommitData(CommitData());
        writer.Commit();
        searchers = new SearcherManager(writer, applyAllDeletes: true, searcherFactory: null);
        LoadVersions();
    }

    /// <summary>
    /// The indexed field of a part (title, keywords, summary) for a language: languages analysed alike share one
    /// (en, vi, id, ms, fil → the <c>en</c> fields; hi, ne → the <c>hi</c> fields), so a query searches fewer fields. Each language's own
    /// text is kept as stored field <see cref="StoredText"/> (highlights, matched languages).
    /// </summary>
    public static string TextField(string part, string language) => $"{part}_{Group(language)}";

    private static string StoredText(string part, string language) => $"t_{part}_{language}";

    /// <summary>Languages whose analysis is the same share their fields.</summary>
    private static string Group(string language) => language switch
    {
        _ when LanguageAnalyzer.IsLatin(language) => "en",
        "hi" or "ne" => "hi",
        _ => language,
    };

    /// <summary>The layout of the index's fields; an index written with another is rebuilt (see the constructor).</summary>
    private const string Schema = "4";
    private const string SchemaKey = "transferhub.schema";

    private const string ThesaurusKey = "transferhub.thesaurus";

    /// <summary>The <see cref="Thesaurus.Fingerprint"/> of the thesaurus the indexed documents were read with (commit data).</summary>
    private string indexedThesaurus;

    private Dictionary<string, string> CommitData() => new() { [SchemaKey] = Schema, [ThesaurusKey] = indexedThesaurus };

    private static Dictionary<string, string> ReadCommitData(LuceneDirectory directory)
    {
        var infos = new SegmentInfos();
        infos.Read(directory);
        return new Dictionary<string, string>(infos.UserData, StringComparer.Ordinal);
    }

    public Task<bool> ThesaurusOutdatedAsync(CancellationToken ct = default)
    {
        lock (writeLock)
        {
            return Task.FromResult(indexedThesaurus != thesaurus.Fingerprint);
        }
    }

    public static string FacetField(string facet) => "facet_" + facet;



    public Task<WriteOutcome> IndexAsync(SearchDocument document, CancellationToken ct = default) =>
        Task.FromResult(Write(document.Id, document.Version, ToLucene(Normalize(document))));

    public Task<int> BulkAsync(IEnumerable<SearchDocument> documents, CancellationToken ct = default)
    {
        lock (writeLock)
        {
            // the newest version of each document that is newer than the index's; then analysed on every core at once
            var fresh = documents.GroupBy(d => d.Id, StringComparer.Ordinal).Select(g => g.MaxBy(d => d.Version)!)
                .Where(d => !versions.TryGetValue(d.Id, out var current) || current < d.Version).ToList();
            Parallel.ForEach(fresh, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
                document => writer.UpdateDocument(new Term(IdField, document.Id), ToLucene(Normalize(document))));
            foreach (var document in fresh)
            {
                versions[document.Id] = document.Version;
                writtenDuringRebuild?.Add(document.Id);
            }
            writer.Commit();
            searchers.MaybeRefresh();
            return Task.FromResult(fresh.Count);
        }
    }

    /// <summary>
    /// Replaces every document by the given ones (the database is the truth: its version is taken even when lower), then
    /// turns documents that were not given into tombstones, and commits once. Searches and writes go on meanwhile: until
    /// the commit the searcher keeps the old content, and a document that an event writes during the rebuild keeps what
    /// the event wrote (the rebuild's copy of it may have been read before). One rebuild at a time; if it stops half-way,
    /// the index holds old and new documents side by side, each whole.
    /// </summary>
    public async Task<int> RebuildAsync(IAsyncEnumerable<SearchDocument> documents, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        await rebuilding.WaitAsync(ct);
        try
        {
            lock (writeLock)
            {
                writtenDuringRebuild = new HashSet<string>(StringComparer.Ordinal);
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var batch = new List<SearchDocument>(500);
            await foreach (var document in documents.WithCancellation(ct))
            {
                batch.Add(document);
                if (batch.Count == batch.Capacity)
                {
                    Replace(batch, seen);
                    progress?.Report(seen.Count);
                }
            }
            Replace(batch, seen);
            lock (writeLock)
            {
                foreach (var (id, version) in versions.Where(v => !seen.Contains(v.Key) && !writtenDuringRebuild.Contains(v.Key)).ToList())
                {
                    writer.UpdateDocument(new Term(IdField, id), Tombstone(id, version));
                }
                // every live document is now read with this engine's thesaurus (those written meanwhile were too)
                indexedThesaurus = thesaurus.Fingerprint;
                writer.SetCommitData(CommitData());
                writer.Commit();
            }
            searchers.MaybeRefresh();
            progress?.Report(seen.Count);
            return seen.Count;
        }
        finally
        {
            lock (writeLock)
            {
                writtenDuringRebuild = null;
            }
            rebuilding.Release();
        }
    }

    private void Replace(List<SearchDocument> batch, HashSet<string> seen)
    {
        lock (writeLock)
        {
            var replaced = batch.Where(d => !writtenDuringRebuild!.Contains(d.Id)).ToList();
            Parallel.ForEach(replaced, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                document => writer.UpdateDocument(new Term(IdField, document.Id), ToLucene(Normalize(document))));
            foreach (var document in replaced)
            {
                versions[document.Id] = document.Version;
            }
            seen.UnionWith(batch.Select(d => d.Id));
        }
        batch.Clear();
    }

    /// <summary>Zawgyi and Lao spellings normalised before anything reads them (texts, labels, highlights): <see cref="TextNormalization"/>.</summary>
    private static SearchDocument Normalize(SearchDocument document) => TextNormalization.Document(document);

    private Document ToLucene(SearchDocument document)
    {
        var doc = Header(document.Id, document.Version);
        foreach (var text in document.Texts.Where(t => analyzers.ContainsKey(t.Language)))
        {
            doc.Add(new StringField(LanguageField, text.Language, Field.Store.YES));
            var keywords = string.Join(" ; ", text.Keywords);
            foreach (var (part, value) in new[] { ("title", text.Title), ("summary", text.Summary), ("keywords", keywords) })
            {
                doc.Add(new TextField(TextField(part, text.Language), value, Field.Store.NO));
                doc.Add(new StoredField(StoredText(part, text.Language), value));
            }
            if (!LatinLanguages.Contains(text.Language))
            {
                // the Latin words of a text in another script (names, acronyms, units): where a Latin query looks for them
                doc.Add(new TextField(LatinField, $"{text.Title} ; {string.Join(" ; ", text.Keywords)} ; {text.Summary}", Field.Store.NO));
            }
            foreach (var phrase in text.Keywords.Prepend(text.Title).Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal))
            {
                doc.Add(new StringField(SuggestPrefix + text.Language, SuggestKey(phrase) + SuggestSeparator + phrase, Field.Store.NO));
            }
        }
        // concepts: one field for all languages (what the text mentions) and one for titles and keywords (what it is
        // about); which language each came from is stored, to tell a hit's matched languages
        var concepts = thesaurus.ConceptsOf(document);
        foreach (var id in concepts.Values.SelectMany(x => x.Mentioned).Distinct(StringComparer.Ordinal))
        {
            doc.Add(new StringField(ConceptField, id, Field.Store.NO));
        }
        foreach (var id in concepts.Values.SelectMany(x => x.About).Distinct(StringComparer.Ordinal))
        {
            doc.Add(new StringField(MainConceptField, id, Field.Store.NO));
        }
        doc.Add(new StoredField(ConceptsStoredField, string.Join(' ', concepts.SelectMany(c => c.Value.Mentioned.Select(id => $"{c.Key}:{id}")))));
        foreach (var (name, value) in document.Stored ?? new Dictionary<string, string>())
        {
            doc.Add(new StoredField(StoredPrefix + name, value));
        }
        foreach (var (name, value) in document.Numbers ?? new Dictionary<string, double>())
        {
            doc.Add(new DoubleDocValuesField(NumberPrefix + name, value));
        }
        foreach (var (facet, values) in document.Facets)
        {
            foreach (var value in values.Distinct(StringComparer.Ordinal))
            {
                doc.Add(new StringField(FacetField(facet), value, Field.Store.NO));
                doc.Add(new SortedSetDocValuesField(FacetField(facet), new BytesRef(value)));
            }
        }
        return doc;
    }

    private static Document Header(string id, long version) =>
    [
        new StringField(IdField, id, Field.Store.YES),
        new SortedDocValuesField(IdSortField, new BytesRef(id)),
        new Int64Field(VersionField, version, Field.Store.YES),
        new NumericDocValuesField(VersionField, version),
    ];

    private static Document Tombstone(string id, long version)
    {
        var doc = Header(id, version);
        doc.Add(new StringField(DeletedField, "1", Field.Store.NO));
        return doc;
    }

    /// <summary>What autocomplete matches on: lower case, Latin diacritics removed, spaces collapsed ("Công nghệ" → "cong nghe").</summary>
    public static string SuggestKey(string text)
    {
        var folded = new char[text.Length * 4];
        var length = ASCIIFoldingFilter.FoldToASCII(text.ToLowerInvariant().ToCharArray(), 0, folded, 0, text.Length);
        return string.Join(' ', new string(folded, 0, length).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    public Task<WriteOutcome> DeleteAsync(string id, long version, CancellationToken ct = default) =>
        Task.FromResult(Write(id, version, Tombstone(id, version)));

    private WriteOutcome Write(string id, long version, Document doc)
    {
        lock (writeLock)
        {
            if (versions.TryGetValue(id, out var current) && current >= version)
            {
                return WriteOutcome.Stale;
            }
            writer.UpdateDocument(new Term(IdField, id), doc);
            writer.Commit();
            versions[id] = version;
            writtenDuringRebuild?.Add(id);
        }
        searchers.MaybeRefresh();
        return WriteOutcome.Applied;
    }

    public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default)
    {
        var text = query.Text is { } t && !string.IsNullOrWhiteSpace(t) ? TextNormalization.Text(t) : null;
        var concepts = text is null ? [] : thesaurus.FindInQuery(text).Select(m => m.ConceptId).ToList();
        searchers.MaybeRefresh();
        var searcher = searchers.Acquire();
        try
        {
            var terms = new TermStatistics(searcher);
            var result = Search(searcher, terms, query, text, concepts, relaxed: false);
            string? correction = null;
            if (text is not null && result.Total < DidYouMean.FewHits && Correct(searcher, terms, text) is { } corrected &&
                Search(searcher, terms, query with { Page = 1, PageSize = 1, Facets = [], Highlight = false, Explain = false }, corrected,
                    thesaurus.FindInQuery(corrected).Select(m => m.ConceptId).ToList(), relaxed: false).Total > result.Total)
            {
                correction = corrected;
            }
            if (text is not null && result.Total < SearchRelaxation.Below &&
                Search(searcher, terms, query, text, concepts, relaxed: true) is { } relaxed && relaxed.Total > result.Total)
            {
                result = relaxed with { Relaxed = true };
            }
            return Task.FromResult(result with { DidYouMean = correction });
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    private SearchResult Search(IndexSearcher searcher, TermStatistics terms, SearchQuery query, string? text, IReadOnlyList<string> concepts, bool relaxed)
    {
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, 100);
        var perLanguage = LanguageQueries(text, concepts, terms, relaxed);
        var root = new BooleanQuery
        {
            { new TermQuery(new Term(DeletedField, "1")), Occur.MUST_NOT },
        };
        if (perLanguage.Count == 0)
        {
            root.Add(new MatchAllDocsQuery(), Occur.MUST);
        }
        else
        {
            var any = new BooleanQuery();
            foreach (var (_, q) in perLanguage)
            {
                any.Add(q, Occur.SHOULD);
            }
            root.Add(any, Occur.MUST);
        }
        foreach (var (facet, values) in query.Filters ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            var oneOf = new BooleanQuery();
            foreach (var value in values)
            {
                oneOf.Add(new TermQuery(new Term(FacetField(facet), value)), Occur.SHOULD);
            }
            root.Add(oneOf, Occur.MUST);
        }

        var top = TopFieldCollector.Create(SortOf(query.Sort), page * size, fillFields: true, trackDocScores: true, trackMaxScore: false,
            docsScoredInOrder: true);
        var facets = new FacetCollector(query.Facets ?? []);
        searcher.Search(root, MultiCollector.Wrap(top, facets));
        var docs = top.GetTopDocs((page - 1) * size, size);
        var hits = docs.ScoreDocs.Select(d =>
        {
            var stored = searcher.Doc(d.Doc);
            var docConcepts = (stored.Get(ConceptsStoredField) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(x => x.Split(':', 2)).Where(x => x.Length == 2).Select(x => (Language: x[0], Id: x[1])).ToList();
            var matchedConcepts = concepts.Where(c => docConcepts.Any(x => x.Id == c)).ToList();
            var matched = MatchedLanguages(stored, text, matchedConcepts, docConcepts, relaxed);
            return new SearchHit(stored.Get(IdField), float.IsNaN(d.Score) ? 0 : d.Score, matched,
                stored.Fields.Where(f => f.Name.StartsWith(StoredPrefix, StringComparison.Ordinal))
                    .ToDictionary(f => f.Name[StoredPrefix.Length..], f => f.GetStringValue(), StringComparer.Ordinal))
            {
                MatchedConcepts = matchedConcepts,
                Highlights = query.Highlight ? Highlight(stored, text, matched, matchedConcepts) : null,
                Explanation = query.Explain ? searcher.Explain(root, d.Doc).ToString() : null,
            };
        }).ToList();
        return new SearchResult(top.TotalHits, hits, facets.Counts());
    }

    /// <summary>
    /// The languages a hit matched in: those of its texts that hold 70 % of the query's words (as that language analyses
    /// them; in a relaxed search as many as <see cref="SearchRelaxation.Required"/>), and those whose text mentions one of
    /// the query's concepts. Read from the hit's stored texts, so the query itself stays one clause per language written
    /// in the query's scripts.
    /// </summary>
    private List<string> MatchedLanguages(Document stored, string? text, IReadOnlyList<string> matchedConcepts, List<(string Language, string Id)> docConcepts,
        bool relaxed)
    {
        var matched = new List<string>();
        if (text is null)
        {
            return matched;
        }
        foreach (var language in stored.GetValues(LanguageField).Distinct(StringComparer.Ordinal))
        {
            if (!analyzers.TryGetValue(language, out var analyzer))
            {
                continue;
            }
            var byConcept = docConcepts.Any(x => x.Language == language && matchedConcepts.Contains(x.Id));
            var wanted = analyzer.Terms(text).Distinct(StringComparer.Ordinal).ToList();
            var byWords = false;
            if (!byConcept && wanted.Count > 0)
            {
                var present = Parts.SelectMany(p => stored.GetValues(StoredText(p.Part, language)).SelectMany(v => analyzer.Terms(v)))
                    .ToHashSet(StringComparer.Ordinal);
                byWords = wanted.Count(present.Contains) >= (relaxed ? SearchRelaxation.Required(wanted.Count) : Math.Max(1, (int)Math.Ceiling(wanted.Count * 0.7)));
            }
            if (byConcept || byWords)
            {
                matched.Add(language);
            }
        }
        return matched.OrderBy(l => LanguageAnalyzer.Languages.ToList().IndexOf(l)).ToList();
    }

    /// <summary>Relevance (or the requested number field, documents without it last), then id: equal scores keep their order between pages.</summary>
    private static Sort SortOf(SortBy? sort)
    {
        var byId = new SortField(IdSortField, SortFieldType.STRING);
        if (sort is null)
        {
            return new Sort(SortField.FIELD_SCORE, byId);
        }
        var byNumber = new SortField(NumberPrefix + sort.Field, SortFieldType.DOUBLE, sort.Descending);
        byNumber.SetMissingValue(sort.Descending ? double.NegativeInfinity : double.PositiveInfinity);
        return new Sort(byNumber, byId);
    }

    /// <summary>
    /// The query: per language written in the query's scripts, its words as that language analyses them, 70 % of them in
    /// the title, keywords or summary in that language (a Latin query: the Latin-script languages, and the Latin words of
    /// texts in other scripts); or any of the query's thesaurus concepts (the cross-lingual route), scored again when the
    /// listing is about it (its titles' and keywords' concepts). Relaxed: also some of the words
    /// (<see cref="SearchRelaxation"/>), scored lower. Term lookups go through <paramref name="terms"/>, once per search.
    /// </summary>
    private List<(string Language, Query Query)> LanguageQueries(string? text, IReadOnlyList<string> concepts, TermStatistics terms, bool relaxed)
    {
        var queries = new List<(string, Query)>();
        if (text is null)
        {
            return queries;
        }
        var wordLanguages = Scripts.LanguagesFor(text);
        var latin = wordLanguages.Count == analyzers.Count;
        var groups = (latin ? LatinLanguages : wordLanguages).Select(Group).Distinct(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var words = analyzers[group].Terms(text);
            IEnumerable<Query> Fields(string term) => Parts.Select(p => terms.Query(TextField(p.Part, group), term, p.Boost));
            if (AllOf(words, Fields) is { } all)
            {
                queries.Add((group, all));
            }
            if (relaxed && SomeOf(words, Fields, term => terms.Common(TextField("summary", group), term)) is { } some)
            {
                queries.Add((group, some));
            }
        }
        if (latin)
        {
            var words = latinWords.Terms(text);
            IEnumerable<Query> Latin(string term) => [terms.Query(LatinField, term)];
            if (AllOf(words, Latin) is { } others)
            {
                queries.Add(("latin", others));
            }
            if (relaxed && SomeOf(words, Latin, term => terms.Common(LatinField, term)) is { } some)
            {
                queries.Add(("latin", some));
            }
        }
        if (concepts.Count > 0)
        {
            var mentions = new BooleanQuery { MinimumNumberShouldMatch = 1, Boost = ConceptBoost };
            var about = new BooleanQuery { Boost = ConceptBoost };
            foreach (var id in concepts)
            {
                mentions.Add(terms.Query(ConceptField, id), Occur.SHOULD);
                about.Add(terms.Query(MainConceptField, id), Occur.SHOULD);
            }
            queries.Add(("concepts", mentions));
            queries.Add(("concepts-about", about));
        }
        return queries;

        // 70 % of the terms, each in any of its fields
        static BooleanQuery? AllOf(IEnumerable<string> analysed, Func<string, IEnumerable<Query>> fields)
        {
            var terms = analysed.Distinct(StringComparer.Ordinal).ToList();
            return terms.Count == 0 ? null : Terms(terms, fields, Math.Max(1, (int)Math.Ceiling(terms.Count * 0.7)), 1f);
        }

        // the relaxed match: of a query of two or more words, the uncommon ones, SearchRelaxation.Required of them
        static BooleanQuery? SomeOf(IEnumerable<string> analysed, Func<string, IEnumerable<Query>> fields, Func<string, bool> common)
        {
            var all = analysed.Distinct(StringComparer.Ordinal).ToList();
            var terms = all.Where(t => !common(t)).ToList();
            return all.Count < 2 || terms.Count == 0 ? null : Terms(terms, fields, SearchRelaxation.Required(terms.Count), SearchRelaxation.Boost);
        }

        static BooleanQuery Terms(List<string> terms, Func<string, IEnumerable<Query>> fields, int required, float boost)
        {
            var q = new BooleanQuery { MinimumNumberShouldMatch = required, Boost = boost };
            foreach (var term in terms)
            {
                var any = new BooleanQuery();
                foreach (var field in fields(term))
                {
                    any.Add(field, Occur.SHOULD);
                }
                q.Add(any, Occur.SHOULD);
            }
            return q;
        }
    }

    /// <summary>
    /// The statistics of the terms one search looks up, each looked up once in the index's term dictionaries even when
    /// the query is built again (corrected, relaxed): at a million listings most of a query's time is these lookups.
    /// </summary>
    private sealed class TermStatistics(IndexSearcher searcher)
    {
        private readonly Dictionary<(string Field, string Text), TermContext> contexts = [];

        public TermQuery Query(string field, string text, float boost = 1f) =>
            new(new Term(field, text), Context(field, text)) { Boost = boost };

        public int DocFreq(string field, string text) => Context(field, text).DocFreq;

        /// <summary>A word in more than <see cref="SearchRelaxation.CommonShare"/> of a large index's documents (of, for, การ, के): left out of a relaxed match.</summary>
        public bool Common(string field, string text) =>
            searcher.IndexReader.MaxDoc >= SearchRelaxation.CommonFrom && DocFreq(field, text) > searcher.IndexReader.MaxDoc * SearchRelaxation.CommonShare;

        private TermContext Context(string field, string text)
        {
            if (!contexts.TryGetValue((field, text), out var context))
            {
                contexts[(field, text)] = context = TermContext.Build(searcher.TopReaderContext, new Term(field, text));
            }
            return context;
        }
    }

    /// <summary>
    /// The title and a summary fragment in the language that matched (the document's first language otherwise), the words
    /// of the query and the labels of the matched concepts in &lt;mark&gt;, everything else HTML-escaped.
    /// </summary>
    private Dictionary<string, string> Highlight(Document stored, string? text, IReadOnlyList<string> matched, IReadOnlyList<string> concepts)
    {
        var languages = stored.GetValues(LanguageField);
        var language = matched.FirstOrDefault(languages.Contains) ?? languages.FirstOrDefault();
        var highlights = new Dictionary<string, string>(StringComparer.Ordinal);
        if (language is null)
        {
            return highlights;
        }
        var analyzer = analyzers[language];
        var words = (text is null ? [] : analyzer.Terms(text))
            .Concat(concepts.SelectMany(id => thesaurus.Find(id)?.Labels.GetValueOrDefault(language) ?? []).SelectMany(l => analyzer.Terms(l)))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var (part, fragment) in new[] { ("title", 0), ("summary", 160) })
        {
            var field = TextField(part, language);
            var value = stored.Get(StoredText(part, language)) ?? "";
            var query = new BooleanQuery();
            foreach (var word in words)
            {
                query.Add(new TermQuery(new Term(field, word)), Occur.SHOULD);
            }
            var highlighter = new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), MinimalHtmlEncoder.Instance, new QueryScorer(query, field))
            {
                TextFragmenter = fragment == 0 ? new NullFragmenter() : new SimpleFragmenter(fragment),
            };
            var best = words.Count == 0 ? null : highlighter.GetBestFragment(analyzer, field, value);
            highlights[part] = best ?? MinimalHtmlEncoder.Instance.EncodeText(fragment == 0 || value.Length <= fragment ? value : value[..fragment] + "…");
        }
        return highlights;
    }

    /// <summary>
    /// "Did you mean": each word of the query (read as the language its script suggests) that no document contains is
    /// replaced by the indexed word within two edits that most documents contain. Spaced languages only: a misspelt Chinese
    /// or Thai query is not a sequence of whole words.
    /// </summary>
    private string? Correct(IndexSearcher searcher, TermStatistics terms, string text)
    {
        var language = Scripts.DetectLanguage(text);
        if (language is "zh" or "th" or "lo" or "km" or "my")
        {
            return null;
        }
        if (analyzers[Group(language)].Terms(text).Count > DidYouMean.MaxWords)
        {
            return null;
        }
        var reader = searcher.IndexReader;
        var fields = Parts.Select(p => TextField(p.Part, language)).ToList();
        var replacements = new List<(int Start, int End, string Word)>();
        using var stream = analyzers[Group(language)].GetTokenStream("q", new StringReader(text));
        var termAttribute = stream.AddAttribute<global::Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        var offsets = stream.AddAttribute<global::Lucene.Net.Analysis.TokenAttributes.IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var word = termAttribute.ToString();
            if (word.Length < 4 || word.Any(char.IsDigit) || fields.Any(f => terms.DocFreq(f, word) > 0))
            {
                continue;
            }
            string? best = null;
            var bestFrequency = 0;
            foreach (var field in fields)
            {
                var dictionary = MultiFields.GetTerms(reader, field);
                if (dictionary is null)
                {
                    continue;
                }
                var fuzzy = new FuzzyTermsEnum(dictionary, new AttributeSource(), new Term(field, word), 2f, 1, true);
                while (fuzzy.MoveNext())
                {
                    if (fuzzy.DocFreq > bestFrequency)
                    {
                        (best, bestFrequency) = (fuzzy.Term.Utf8ToString(), fuzzy.DocFreq);
                    }
                }
            }
            if (best is not null)
            {
                replacements.Add((offsets.StartOffset, offsets.EndOffset, best));
            }
        }
        stream.End();
        if (replacements.Count == 0)
        {
            return null;
        }
        return TextEdits.Replace(text, replacements);
    }

    public Task<IReadOnlyList<Suggestion>> SuggestAsync(string prefix, int count = 10, CancellationToken ct = default)
    {
        var key = SuggestKey(TextNormalization.Text(prefix));
        if (key.Length == 0)
        {
            return Task.FromResult<IReadOnlyList<Suggestion>>([]);
        }
        searchers.MaybeRefresh();
        var searcher = searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            var live = MultiFields.GetLiveDocs(reader);
            var found = new List<Suggestion>();
            var start = new BytesRef(key);
            foreach (var language in analyzers.Keys)
            {
                var terms = MultiFields.GetTerms(reader, SuggestPrefix + language);
                if (terms is null)
                {
                    continue;
                }
                var e = terms.GetEnumerator();
                if (e.SeekCeil(start) == TermsEnum.SeekStatus.END)
                {
                    continue;
                }
                for (var examined = 0; examined < 200; examined++)
                {
                    var term = e.Term.Utf8ToString();
                    if (!term.StartsWith(key, StringComparison.Ordinal))
                    {
                        break;
                    }
                    var documents = 0;
                    var postings = e.Docs(live, null, DocsFlags.NONE);
                    while (postings.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                    {
                        documents++;
                    }
                    if (documents > 0)
                    {
                        found.Add(new Suggestion(term[(term.IndexOf(SuggestSeparator, StringComparison.Ordinal) + 1)..], language, documents));
                    }
                    if (!e.MoveNext())
                    {
                        break;
                    }
                }
            }
            return Task.FromResult<IReadOnlyList<Suggestion>>(found
                .GroupBy(s => (s.Text, s.Language)).Select(g => g.First() with { Documents = g.Sum(s => s.Documents) })
                .OrderByDescending(s => s.Documents).ThenBy(s => s.Text.Length).ThenBy(s => s.Text, StringComparer.Ordinal)
                .Take(Math.Clamp(count, 1, 50)).ToList());
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    /// <summary>The version of every document (and tombstone), read from doc values: no stored document is loaded.</summary>
    private void LoadVersions()
    {
        var searcher = searchers.Acquire();
        try
        {
            var id = new BytesRef();
            foreach (var leaf in searcher.IndexReader.Leaves)
            {
                var reader = leaf.AtomicReader;
                var values = reader.GetNumericDocValues(VersionField);
                var ids = reader.GetSortedDocValues(IdSortField);
                var live = reader.LiveDocs;
                for (var doc = 0; doc < reader.MaxDoc && values is not null && ids is not null; doc++)
                {
                    if (live is null || live.Get(doc))
                    {
                        ids.Get(doc, id);
                        versions[id.Utf8ToString()] = values.Get(doc);
                    }
                }
            }
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        searchers.Dispose();
        writer.Dispose();
        rebuilding.Dispose();
        directory.Dispose();
        foreach (var analyzer in analyzers.Values)
        {
            analyzer.Dispose();
        }
        latinWords.Dispose();
    }

    /// <summary>Escapes only what HTML needs (&amp; &lt; &gt; " '): text in any script stays readable in JSON.</summary>
    private sealed class MinimalHtmlEncoder : IEncoder
    {
        public static readonly MinimalHtmlEncoder Instance = new();

        public string EncodeText(string originalText)
        {
            var encoded = new StringBuilder(originalText.Length + 16);
            foreach (var c in originalText)
            {
                encoded.Append(c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    '\'' => "&#39;",
                    _ => c.ToString(),
                });
            }
            return encoded.ToString();
        }
    }

    /// <summary>
    /// Counts the values of the requested facets over every matching document: per segment by ordinal (an array
    /// increment per value), turned into strings once per segment for the ordinals that occurred.
    /// </summary>
    private sealed class FacetCollector(IReadOnlyList<string> facets) : ICollector
    {
        private readonly Dictionary<string, Dictionary<string, int>> counts =
            facets.Distinct().ToDictionary(f => f, _ => new Dictionary<string, int>(StringComparer.Ordinal));
        private readonly List<(string Facet, SortedSetDocValues Values, int[] Counts)> current = [];
        private readonly BytesRef scratch = new();

        // in order: Lucene then scores with the in-order scorers; its out-of-order BooleanScorer allocates a bucket table
        // per nested clause and segment, which for a query over 16 languages costs more than the search itself
        public bool AcceptsDocsOutOfOrder => false;

        public void SetScorer(Scorer scorer)
        {
        }

        public void SetNextReader(AtomicReaderContext context)
        {
            Flush();
            foreach (var facet in counts.Keys)
            {
                if (context.AtomicReader.GetSortedSetDocValues(FacetField(facet)) is { } values)
                {
                    current.Add((facet, values, new int[values.ValueCount]));
                }
            }
        }

        public void Collect(int doc)
        {
            foreach (var (_, values, ordinals) in current)
            {
                values.SetDocument(doc);
                long ord;
                while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
                {
                    ordinals[ord]++;
                }
            }
        }

        private void Flush()
        {
            foreach (var (facet, values, ordinals) in current)
            {
                var map = counts[facet];
                for (var ord = 0; ord < ordinals.Length; ord++)
                {
                    if (ordinals[ord] > 0)
                    {
                        values.LookupOrd(ord, scratch);
                        var key = scratch.Utf8ToString();
                        map[key] = map.GetValueOrDefault(key) + ordinals[ord];
                    }
                }
            }
            current.Clear();
        }

        public IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Counts()
        {
            Flush();
            return counts.ToDictionary(c => c.Key, c => (IReadOnlyList<FacetCount>)c.Value
                .OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => new FacetCount(v.Key, v.Value)).ToList());
        }
    }
}
