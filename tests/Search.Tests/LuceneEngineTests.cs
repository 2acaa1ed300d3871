using TransferHub.Search.Concepts;
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

    protected override ISearchEngine Open(Thesaurus thesaurus) => LuceneSearchEngine.Open(path, thesaurus);

    [Fact]
    public async Task An_index_written_with_another_field_layout_is_emptied_so_that_its_owner_refills_it()
    {
        using (var directory = FSDirectory.Open(path))
        using (var old = new global::Lucene.Net.Index.IndexWriter(directory, new global::Lucene.Net.Index.IndexWriterConfig(global::Lucene.Net.Util.LuceneVersion.LUCENE_48,
                   new global::Lucene.Net.Analysis.Core.KeywordAnalyzer())))
        {
            old.AddDocument([new global::Lucene.Net.Documents.StringField("id", "old-layout", global::Lucene.Net.Documents.Field.Store.YES)]);
            old.Commit();
        }
        using (var engine = Open())
        {
            Assert.Equal(0, (await engine.SearchAsync(new SearchQuery(null))).Total);
            await engine.IndexAsync(new SearchDocument("new", 1, [new LocalizedText("en", "Solar dryer", "x", [])], new Dictionary<string, IReadOnlyList<string>>()));
        }
        using var reopened = Open();
        Assert.Equal(1, (await reopened.SearchAsync(new SearchQuery(null))).Total);
    }
}
