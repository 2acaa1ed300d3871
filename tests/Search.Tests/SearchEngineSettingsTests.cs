using TransferHub.Search.Concepts;
using TransferHub.Search.Elasticsearch;
using TransferHub.Search.Lucene;

namespace TransferHub.Search.Tests;

/// <summary>Search:Engine picks the engine; a wrong setting stops the start with what to set.</summary>
public sealed class SearchEngineSettingsTests
{
    [Fact]
    public void Lucene_is_the_default_and_Elasticsearch_is_chosen_by_configuration()
    {
        var root = Path.Combine(Path.GetTempPath(), "th-settings-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var lucene = new SearchEngineSettings().Create("technologies", root, Thesaurus.Empty))
            {
                Assert.IsType<LuceneSearchEngine>(lucene);
            }
            Assert.True(Directory.Exists(Path.Combine(root, "technologies")));
            var settings = new SearchEngineSettings { Engine = "elasticsearch" };
            settings.Elasticsearch.Url = "http://127.0.0.1:9";
            using var elastic = settings.Create("technologies", root, Thesaurus.Empty);
            Assert.IsType<ElasticsearchSearchEngine>(elastic);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("Solr", null, "Search:Engine 'Solr' is unknown")]
    [InlineData("Elasticsearch", null, "Search:Elasticsearch:Url is missing")]
    [InlineData("Elasticsearch", "not a url", "Search:Elasticsearch:Url is missing")]
    public void A_wrong_setting_says_what_to_set(string engine, string? url, string message)
    {
        var settings = new SearchEngineSettings { Engine = engine };
        settings.Elasticsearch.Url = url;
        var e = Assert.Throws<InvalidOperationException>(() => settings.Create("needs", Path.GetTempPath(), Thesaurus.Empty));
        Assert.Contains(message, e.Message);
    }
}
