using TransferHub.Search.Concepts;
namespace TransferHub.Search.Tests;

/// <summary>
/// The Elasticsearch engine passes the same contract as the embedded engine, against a real server (a Testcontainers
/// container, or TH_TEST_ELASTICSEARCH_URL); skipped with the reason when neither is reachable.
/// </summary>
public sealed class ElasticsearchEngineContractTests(ElasticsearchServer server) : SearchEngineContract, IClassFixture<ElasticsearchServer>
{
    private readonly string collection = "contract-" + Guid.NewGuid().ToString("N")[..12];

    protected override ISearchEngine Open(Thesaurus thesaurus)
    {
        Skip.If(ElasticsearchServer.Unavailable is not null, ElasticsearchServer.Unavailable);
        return server.Open(collection, thesaurus);
    }
}
