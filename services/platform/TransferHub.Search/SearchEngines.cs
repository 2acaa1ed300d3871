using TransferHub.Search.Concepts;
using TransferHub.Search.Elasticsearch;
using TransferHub.Search.Lucene;

namespace TransferHub.Search;

/// <summary>
/// Which engine a service runs (configuration <c>Search:Engine</c>): <c>Lucene</c> (the default: embedded, an index
/// directory per collection) or <c>Elasticsearch</c> (<c>Search:Elasticsearch:Url</c>, an index per collection).
/// </summary>
public sealed class SearchEngineSettings
{
    public const string Section = "Search";

    public string Engine { get; set; } = "Lucene";

    public ElasticsearchSettings Elasticsearch { get; set; } = new();

    public sealed class ElasticsearchSettings
    {
        public string? Url { get; set; }

        public string IndexPrefix { get; set; } = "transferhub-";

        public string? Username { get; set; }

        public string? Password { get; set; }

        public string? ApiKey { get; set; }
    }

    /// <summary>
    /// The engine of one collection: Lucene in <c>{luceneRoot}/{collection}</c>, or Elasticsearch index
    /// <c>{IndexPrefix}{collection}</c>. An unknown engine or a missing URL is a start-up error that says what to set.
    /// </summary>
    public ISearchEngine Create(string collection, string luceneRoot, Thesaurus thesaurus)
    {
        if (string.Equals(Engine, "Lucene", StringComparison.OrdinalIgnoreCase))
        {
            Directory.CreateDirectory(luceneRoot);
            return LuceneSearchEngine.Open(Path.Combine(luceneRoot, collection), thesaurus);
        }
        if (string.Equals(Engine, "Elasticsearch", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(Elasticsearch.Url, UriKind.Absolute, out var url))
            {
                throw new InvalidOperationException(
                    "Search:Engine is Elasticsearch but Search:Elasticsearch:Url is missing or not a URL; set it (e.g. Search__Elasticsearch__Url=http://127.0.0.1:9200) or set Search:Engine=Lucene.");
            }
            return new ElasticsearchSearchEngine(
                new ElasticsearchOptions(url, Elasticsearch.IndexPrefix, Elasticsearch.Username, Elasticsearch.Password, Elasticsearch.ApiKey), collection, thesaurus);
        }
        throw new InvalidOperationException($"Search:Engine '{Engine}' is unknown; use Lucene (the default) or Elasticsearch.");
    }
}
