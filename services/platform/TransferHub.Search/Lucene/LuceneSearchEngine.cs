using System.Collections.Concurrent;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using TransferHub.Search.Analysis;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TransferHub.Search.Lucene;

/// <summary>
/// The embedded engine on Lucene.Net 4.8: one index per collection, a text field per language and part (title, summary,
/// keywords) analysed by that language's <see cref="LanguageAnalyzer"/>, facets as doc values, versions checked under
/// one writer lock (deletions leave a tombstone with their version), a near-real-time searcher, and a commit after
/// every write so an acknowledged change survives a crash.
/// </summary>
public sealed class LuceneSearchEngine : ISearchEngine
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string IdField = "id";
    private const string VersionField = "version";
    private const string DeletedField = "deleted";
    private const string LanguageField = "lang";
    private const string StoredPrefix = "s_";
    private static readonly (string Part, float Boost)[] Parts = [("title", 3f), ("keywords", 2f), ("summary", 1f)];

    private readonly LuceneDirectory directory;
    private readonly IndexWriter writer;
    private readonly SearcherManager searchers;
    private readonly Dictionary<string, LanguageAnalyzer> analyzers;
    private readonly ConcurrentDictionary<string, long> versions = new(StringComparer.Ordinal);
    private readonly Lock writeLock = new();

    public LuceneSearchEngine(LuceneDirectory directory)
    {
        this.directory = directory;
        analyzers = LanguageAnalyzer.Languages.ToDictionary(l => l, l => new LanguageAnalyzer(l), StringComparer.Ordinal);
        var perField = Parts.SelectMany(p => analyzers.Select(a => (Field: TextField(p.Part, a.Key), Analyzer: (Analyzer)a.Value)))
            .ToDictionary(x => x.Field, x => x.Analyzer);
        var analyzer = new PerFieldAnalyzerWrapper(new KeywordAnalyzer(), perField);
        writer = new IndexWriter(directory, new IndexWriterConfig(Version, analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND });
        writer.Commit();
        searchers = new SearcherManager(writer, applyAllDeletes: true, searcherFactory: null);
        LoadVersions();
    }

    public static string TextField(string part, string language) => $"{part}_{language}";

    public static string FacetField(string facet) => "facet_" + facet;

    public Task<WriteOutcome> IndexAsync(SearchDocument document, CancellationToken ct = default) =>
        Task.FromResult(Write(document.Id, document.Version, ToLucene(document)));

    public Task<int> BulkAsync(IEnumerable<SearchDocument> documents, CancellationToken ct = default)
    {
        var applied = 0;
        lock (writeLock)
        {
            foreach (var document in documents)
            {
                if (versions.TryGetValue(document.Id, out var current) && current >= document.Version)
                {
                    continue;
                }
                writer.UpdateDocument(new Term(IdField, document.Id), ToLucene(document));
                versions[document.Id] = document.Version;
                applied++;
            }
            writer.Commit();
        }
        searchers.MaybeRefresh();
        return Task.FromResult(applied);
    }

    private Document ToLucene(SearchDocument document)
    {
        var doc = new Document
        {
            new StringField(IdField, document.Id, Field.Store.YES),
            new Int64Field(VersionField, document.Version, Field.Store.YES),
            new NumericDocValuesField(VersionField, document.Version),
        };
        foreach (var text in document.Texts.Where(t => analyzers.ContainsKey(t.Language)))
        {
            doc.Add(new StringField(LanguageField, text.Language, Field.Store.YES));
            doc.Add(new TextField(TextField("title", text.Language), text.Title, Field.Store.NO));
            doc.Add(new TextField(TextField("summary", text.Language), text.Summary, Field.Store.NO));
            doc.Add(new TextField(TextField("keywords", text.Language), string.Join(" ; ", text.Keywords), Field.Store.NO));
        }
        foreach (var (name, value) in document.Stored ?? new Dictionary<string, string>())
        {
            doc.Add(new StoredField(StoredPrefix + name, value));
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

    public Task<WriteOutcome> DeleteAsync(string id, long version, CancellationToken ct = default) =>
        Task.FromResult(Write(id, version, new Document
        {
            new StringField(IdField, id, Field.Store.YES),
            new Int64Field(VersionField, version, Field.Store.YES),
            new NumericDocValuesField(VersionField, version),
            new StringField(DeletedField, "1", Field.Store.NO),
        }));

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
        }
        searchers.MaybeRefresh();
        return WriteOutcome.Applied;
    }

    public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default)
    {
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, 100);
        var perLanguage = LanguageQueries(query.Text);
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

        searchers.MaybeRefresh();
        var searcher = searchers.Acquire();
        try
        {
            var top = TopScoreDocCollector.Create(page * size, true);
            var facets = new FacetCollector(query.Facets ?? []);
            searcher.Search(root, MultiCollector.Wrap(top, facets));
            var docs = top.GetTopDocs((page - 1) * size, size);
            var hits = docs.ScoreDocs.Select(d =>
            {
                var stored = searcher.Doc(d.Doc);
                return new SearchHit(stored.Get(IdField), d.Score,
                    perLanguage.Where(l => searcher.Explain(l.Query, d.Doc).IsMatch).Select(l => l.Language).ToList(),
                    stored.Fields.Where(f => f.Name.StartsWith(StoredPrefix, StringComparison.Ordinal))
                        .ToDictionary(f => f.Name[StoredPrefix.Length..], f => f.GetStringValue(), StringComparer.Ordinal));
            }).ToList();
            return Task.FromResult(new SearchResult(top.TotalHits, hits, facets.Counts()));
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    /// <summary>
    /// The query text analysed the way each language analyses its documents; a document matches in a language when most
    /// of the query's terms (70 %) appear in its title, keywords or summary in that language.
    /// </summary>
    private List<(string Language, Query Query)> LanguageQueries(string? text)
    {
        var queries = new List<(string, Query)>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return queries;
        }
        foreach (var (language, analyzer) in analyzers)
        {
            var terms = analyzer.Terms(text).Distinct(StringComparer.Ordinal).ToList();
            if (terms.Count == 0)
            {
                continue;
            }
            var q = new BooleanQuery { MinimumNumberShouldMatch = Math.Max(1, (int)Math.Ceiling(terms.Count * 0.7)) };
            foreach (var term in terms)
            {
                var anyPart = new BooleanQuery();
                foreach (var (part, boost) in Parts)
                {
                    anyPart.Add(new TermQuery(new Term(TextField(part, language), term)) { Boost = boost }, Occur.SHOULD);
                }
                q.Add(anyPart, Occur.SHOULD);
            }
            queries.Add((language, q));
        }
        return queries;
    }

    private void LoadVersions()
    {
        var searcher = searchers.Acquire();
        try
        {
            foreach (var leaf in searcher.IndexReader.Leaves)
            {
                var reader = leaf.AtomicReader;
                var values = reader.GetNumericDocValues(VersionField);
                var live = reader.LiveDocs;
                for (var doc = 0; doc < reader.MaxDoc && values is not null; doc++)
                {
                    if (live is null || live.Get(doc))
                    {
                        versions[reader.Document(doc).Get(IdField)] = values.Get(doc);
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
        directory.Dispose();
        foreach (var analyzer in analyzers.Values)
        {
            analyzer.Dispose();
        }
    }

    /// <summary>Counts the values of the requested facets over every matching document (doc values, per segment).</summary>
    private sealed class FacetCollector(IReadOnlyList<string> facets) : ICollector
    {
        private readonly Dictionary<string, Dictionary<string, int>> counts =
            facets.Distinct().ToDictionary(f => f, _ => new Dictionary<string, int>(StringComparer.Ordinal));
        private readonly List<(string Facet, SortedSetDocValues Values)> current = [];
        private readonly BytesRef scratch = new();

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer)
        {
        }

        public void SetNextReader(AtomicReaderContext context)
        {
            current.Clear();
            foreach (var facet in counts.Keys)
            {
                if (context.AtomicReader.GetSortedSetDocValues(FacetField(facet)) is { } values)
                {
                    current.Add((facet, values));
                }
            }
        }

        public void Collect(int doc)
        {
            foreach (var (facet, values) in current)
            {
                values.SetDocument(doc);
                long ord;
                while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
                {
                    values.LookupOrd(ord, scratch);
                    var key = scratch.Utf8ToString();
                    var map = counts[facet];
                    map[key] = map.GetValueOrDefault(key) + 1;
                }
            }
        }

        public IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Counts() =>
            counts.ToDictionary(c => c.Key, c => (IReadOnlyList<FacetCount>)c.Value
                .OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => new FacetCount(v.Key, v.Value)).ToList());
    }
}
