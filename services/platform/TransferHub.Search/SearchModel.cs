namespace TransferHub.Search;

/// <summary>A document's public text in one language (its original or a translation).</summary>
public sealed record LocalizedText(string Language, string Title, string Summary, IReadOnlyList<string> Keywords);

/// <summary>
/// What is indexed of a listing: its texts per language and its facet values (field, country, TRL, …). Never
/// confidential detail. <see cref="Version"/> orders updates: an older version never overwrites a newer one.
/// <see cref="Stored"/> is kept as is and returned with each hit (what a result list shows without another lookup).
/// </summary>
public sealed record SearchDocument(string Id, long Version, IReadOnlyList<LocalizedText> Texts, IReadOnlyDictionary<string, IReadOnlyList<string>> Facets,
    IReadOnlyDictionary<string, string>? Stored = null);

/// <summary>Free text (any of the 16 languages), filters (facet → any of the values), the facets to count, a page.</summary>
public sealed record SearchQuery(
    string? Text,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Filters = null,
    IReadOnlyList<string>? Facets = null,
    int Page = 1,
    int PageSize = 20);

/// <summary>A hit, with the languages whose text matched the query and the document's stored values.</summary>
public sealed record SearchHit(string Id, float Score, IReadOnlyList<string> MatchedLanguages, IReadOnlyDictionary<string, string> Stored);

public sealed record FacetCount(string Value, int Count);

public sealed record SearchResult(int Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets);

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

    /// <summary>Indexes many documents with one commit (rebuilds, imports); each is version-checked like <see cref="IndexAsync"/>.</summary>
    Task<int> BulkAsync(IEnumerable<SearchDocument> documents, CancellationToken ct = default);

    Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default);
}
