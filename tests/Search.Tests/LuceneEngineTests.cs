using Lucene.Net.Store;
using TransferHub.Search.Lucene;

namespace TransferHub.Search.Tests;

/// <summary>The embedded engine passes the search engine contract on an index directory of its own per test.</summary>
public sealed class LuceneEngineTests : SearchEngineContract, IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), "th-search-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
    }

    protected override ISearchEngine Open() => new LuceneSearchEngine(FSDirectory.Open(path), Thesaurus);
}
