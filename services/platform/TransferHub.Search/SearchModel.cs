namespace TransferHub.Search;

/// <summary>A document's public text in one language (its original or a translation).</summary>
public sealed record LocalizedText(string Language, string Title, string Summary, IReadOnlyList<string> Keywords);

/// <summary>
/// What is indexed of a listing: its texts per language and its facet values (field, country, TRL, …). Never
/// confidential detail. <see cref="Version"/> orders updates: an older version never overwrites a newer one.
/// <see cref="Stored"/> is kept as is and returned with each hit (what a result list shows without another lookup).
/// <see cref="Numbers"/> are the values a result can be sorted by (<c>published</c> as Unix seconds, <c>price</c>, <c>trl</c>).
/// </summary>
public sealed record SearchDocument(string Id, long Version, IReadOnlyList<LocalizedText> Texts, IReadOnlyDictionary<string, IReadOnlyList<string>> Facets,
    IReadOnlyDictionary<string, string>? Stored = null, IReadOnlyDictionary<string, double>? Numbers = null);

/// <summary>Sort by one of the documents' <see cref="SearchDocument.Numbers"/>; ties (and relevance order) are broken by id so pages are stable.</summary>
public sealed record SortBy(string Field, bool Descending = true);

/// <summary>
/// Free text (any of the 16 languages), filters (facet → any of the values), the facets to count, a page; optionally a
/// sort (relevance when null), highlighted snippets and the explanation of each hit's score.
/// </summary>
public sealed record SearchQuery(
    string? Text,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Filters = null,
    IReadOnlyList<string>? Facets = null,
    int Page = 1,
    int PageSize = 20,
    SortBy? Sort = null,
    bool Highlight = false,
    bool Explain = false);

/// <summary>
/// A hit: the languages whose text matched the query (directly or through a thesaurus concept), the concepts it matched,
/// the document's stored values; when asked, snippets per part (<c>title</c>, <c>summary</c>) with the matched words in
/// <c>&lt;mark&gt;</c> (the rest HTML-escaped) and the explanation of the score.
/// </summary>
public sealed record SearchHit(string Id, float Score, IReadOnlyList<string> MatchedLanguages, IReadOnlyDictionary<string, string> Stored)
{
    public IReadOnlyList<string> MatchedConcepts { get; init; } = [];

    public IReadOnlyDictionary<string, string>? Highlights { get; init; }

    public string? Explanation { get; init; }
}

public sealed record FacetCount(string Value, int Count);

/// <summary>The total, a page of hits, facet counts over the whole result, and a corrected query when the text looks misspelt.</summary>
public sealed record SearchResult(int Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets)
{
    /// <summary>"Did you mean": the query with unknown words replaced by close indexed words, when that finds more.</summary>
    public string? DidYouMean { get; init; }

    /// <summary>
    /// Fewer listings than a page held 70 % of the query's words or one of its concepts, so listings with only some of its
    /// words were added after them (<see cref="SearchRelaxation"/>): a portal says "no listing has all your words".
    /// </summary>
    public bool Relaxed { get; init; }
}

/// <summary>
/// When "did you mean" is looked for, the same in every engine: fewer than <see cref="FewHits"/> hits, a query in a
/// spaced language of at most <see cref="MaxWords"/> words (a typo in a short query; a long need is relaxed instead,
/// and looking up near words for each of its words would cost more than the search), its words of 4 or more letters
/// that no document has replaced by the indexed word within two edits that most documents have.
/// </summary>
public static class DidYouMean
{
    public const int FewHits = 3;

    public const int MaxWords = 6;
}

/// <summary>
/// When and how a search is relaxed, the same in every engine: a query of two or more words that finds fewer than
/// <see cref="Below"/> listings by 70 % of its words or by its concepts is run again, also matching listings with some
/// of its words — <see cref="Required"/> of them, words in more than <see cref="CommonShare"/> of a large index left out —
/// scored at <see cref="Boost"/>, so the full matches stay first. Users type needs and questions ("how do we stop banana
/// wilt on our farm"), whose every word no listing has.
/// </summary>
public static class SearchRelaxation
{
    /// <summary>A first page: a query that fills one is not relaxed.</summary>
    public const int Below = 10;

    /// <summary>The weight of the partial match beside the full one (1).</summary>
    public const float Boost = 0.5f;

    /// <summary>Share of documents above which a word is too common to match on its own (only from <see cref="CommonFrom"/> documents: small indexes say nothing about words).</summary>
    public const double CommonShare = 0.2;

    public const int CommonFrom = 1000;

    /// <summary>One of two or three words, two of four or more.</summary>
    public static int Required(int terms) => terms >= 4 ? 2 : 1;
}

/// <summary>An autocomplete suggestion: the completed text, its language, and how many documents contain it.</summary>
public sealed record Suggestion(string Text, string Language, int Documents);

public enum WriteOutcome
{
    /// <summary>The change is in the index.</summary>
    Applied,

    /// <summary>The index already holds the same or a newer version of the document (or of its deletion): nothing changed.</summary>
    Stale,
}

/// <summary>A search engine over one collection (technologies, needs, experts): the embedded Lucene.Net engine by default.</summary>
public interface ISearchEngine : IDisposable
{
    Task<WriteOutcome> IndexAsync(SearchDocument document, CancellationToken ct = default);

    /// <summary>Removes the document as of <paramref name="version"/>; an index of an older version afterwards changes nothing.</summary>
    Task<WriteOutcome> DeleteAsync(string id, long version, CancellationToken ct = default);

    /// <summary>Indexes many documents with one commit (imports, first fill); each is version-checked like <see cref="IndexAsync"/>.</summary>
    Task<int> BulkAsync(IEnumerable<SearchDocument> documents, CancellationToken ct = default);

    /// <summary>
    /// Replaces the whole collection by <paramref name="documents"/> (the owning service's database): searches see the old
    /// content until the new one is complete; <paramref name="progress"/> gets the number indexed so far.
    /// </summary>
    Task<int> RebuildAsync(IAsyncEnumerable<SearchDocument> documents, IProgress<int>? progress = null, CancellationToken ct = default);

    Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default);

    /// <summary>
    /// Whether the index's documents got their concepts from another thesaurus (or way of matching it) than this engine's
    /// (<see cref="Concepts.Thesaurus.Fingerprint"/>): they keep the old concepts until <see cref="RebuildAsync"/>. An empty
    /// Lucene index is never outdated; an Elasticsearch index is whenever it was created with another thesaurus (its
    /// synonyms are in its settings).
    /// </summary>
    Task<bool> ThesaurusOutdatedAsync(CancellationToken ct = default);

    /// <summary>Autocomplete: completions of the last word of <paramref name="prefix"/> in indexed titles and keywords, most frequent first.</summary>
    Task<IReadOnlyList<Suggestion>> SuggestAsync(string prefix, int count = 10, CancellationToken ct = default);
}
