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

    /// <summary>Autocomplete: completions of the last word of <paramref name="prefix"/> in indexed titles and keywords, most frequent first.</summary>
    Task<IReadOnlyList<Suggestion>> SuggestAsync(string prefix, int count = 10, CancellationToken ct = default);
}
