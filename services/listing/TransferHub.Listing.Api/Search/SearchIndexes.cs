using System.Diagnostics.Metrics;
using Dapper;
using MassTransit;
using Npgsql;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Api.Needs;
using TransferHub.Listing.Api.Technologies;
using TransferHub.Listing.Contracts;
using TransferHub.Search;
using TransferHub.Search.Concepts;
using SearchText = TransferHub.Search.LocalizedText;

namespace TransferHub.Listing.Api.Search;

/// <summary>Search settings (<c>Listing:Search</c>): where the embedded indexes live.</summary>
public sealed class SearchOptions
{
    public const string Section = "Listing:Search";

    /// <summary>Directory of the Lucene indexes (one per collection); relative paths are under the content root.</summary>
    public string IndexPath { get; set; } = Path.Combine("data", "search");

    /// <summary>Directory of the concept thesaurus (<c>*.json</c>); by default the copy shipped beside the assemblies.</summary>
    public string? ThesaurusPath { get; set; }
}

/// <summary>The search indexes of the listing service (the engine <c>Search:Engine</c> names) and how listings become documents.</summary>
public sealed class SearchIndexes : IDisposable
{
    public static readonly Meter Meter = new("TransferHub.Search");

    /// <summary>Publish → indexed: the time from the event (as its producer stamped it) to the change in the index.</summary>
    public static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("transferhub.search.index.lag", "ms",
        "Time from a listing event to its change in the search index");

    /// <summary>The engines of both collections, as <paramref name="engines"/> says (Lucene under <paramref name="root"/> by default).</summary>
    public SearchIndexes(SearchEngineSettings engines, string root, Thesaurus thesaurus)
    {
        Thesaurus = thesaurus;
        Technologies = engines.Create("technologies", root, thesaurus);
        try
        {
            Needs = engines.Create("needs", root, thesaurus);
        }
        catch
        {
            Technologies.Dispose();
            throw;
        }
    }

    public Thesaurus Thesaurus { get; }

    /// <summary>The engine of a collection by its API name (<c>technologies</c>, <c>needs</c>).</summary>
    public ISearchEngine? Collection(string name) => name switch
    {
        "technologies" => Technologies,
        "needs" => Needs,
        _ => null,
    };

    public ISearchEngine Technologies { get; }

    public ISearchEngine Needs { get; }

    public static bool Searchable(string status) => status is ListingStatus.Published or ListingStatus.UnderNegotiation;

    public static SearchDocument Document(Guid id, int version, TechnologyPublicData t) => new(id.ToString(), version,
        Texts(t.Language, t.Title, t.Summary, t.Keywords, t.Translations),
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["field"] = t.Fields,
            ["country"] = t.TargetCountries,
            ["trl"] = t.Trl is { } trl ? [trl.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [],
            ["stage"] = t.Stage is { } stage ? [stage] : [],
            ["ipType"] = t.IpTypes,
            ["transferMode"] = t.TransferModes,
            ["pricingMode"] = [t.PricingMode],
            ["priceBand"] = [PriceBands.Band(t.Price, t.Currency)],
            ["language"] = [t.Language, .. t.Translations.Select(x => x.Language)],
        },
        new Dictionary<string, string> { ["title"] = t.Title, ["summary"] = t.Summary, ["language"] = t.Language },
        Numbers(t.PublishedAt, PriceBands.InCny(t.Price, t.Currency), t.Trl));

    public static SearchDocument Document(Guid id, int version, NeedPublicData n) => new(id.ToString(), version,
        Texts(n.Language, n.Title, n.Summary, n.Keywords, n.Translations),
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["field"] = n.Fields,
            ["country"] = [n.Country],
            ["trl"] = n.TrlMin is { } trl ? [trl.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [],
            ["openCall"] = [n.OpenCall ? "yes" : "no"],
            ["priceBand"] = [PriceBands.Band(n.Budget, n.Currency)],
            ["language"] = [n.Language, .. n.Translations.Select(x => x.Language)],
        },
        new Dictionary<string, string> { ["title"] = n.Title, ["summary"] = n.Summary, ["language"] = n.Language },
        Numbers(n.PublishedAt, PriceBands.InCny(n.Budget, n.Currency), n.TrlMin));

    /// <summary>What results sort by: <c>published</c> (Unix seconds), <c>price</c> (CNY, indicative), <c>trl</c>.</summary>
    private static Dictionary<string, double> Numbers(DateTimeOffset? published, double? price, int? trl)
    {
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        if (published is { } p)
        {
            numbers["published"] = p.ToUnixTimeSeconds();
        }
        if (price is { } v)
        {
            numbers["price"] = v;
        }
        if (trl is { } level)
        {
            numbers["trl"] = level;
        }
        return numbers;
    }

    private static IReadOnlyList<SearchText> Texts(string language, string title, string summary, IReadOnlyList<string> keywords,
        IReadOnlyList<TransferHub.Listing.Contracts.LocalizedText> translations) =>
        [new SearchText(language, title, summary, keywords), .. translations.Select(x => new SearchText(x.Language, x.Title, x.Summary, x.Keywords))];

    public static void Record(DateTimeOffset eventAt) => Lag.Record((DateTimeOffset.UtcNow - eventAt).TotalMilliseconds);

    public void Dispose()
    {
        Technologies.Dispose();
        Needs.Dispose();
    }
}

/// <summary>
/// The indexes follow listing's own events (as any consumer would), so what is searchable is what was announced; a
/// redelivered or reordered event changes nothing (versions). Withdrawn, transferred or closed listings leave the index.
/// </summary>
public sealed class SearchIndexConsumer(SearchIndexes indexes) :
    IConsumer<TechnologyPublished>, IConsumer<TechnologyUpdated>, IConsumer<TechnologyWithdrawn>, IConsumer<TechnologyTransferred>,
    IConsumer<NeedPublished>, IConsumer<NeedUpdated>, IConsumer<NeedClosed>
{
    public async Task Consume(ConsumeContext<TechnologyPublished> context)
    {
        var m = context.Message;
        await indexes.Technologies.IndexAsync(SearchIndexes.Document(m.TechnologyId, m.Version, m.Technology), context.CancellationToken);
        SearchIndexes.Record(m.PublishedAt);
    }

    public async Task Consume(ConsumeContext<TechnologyUpdated> context)
    {
        var m = context.Message;
        await (SearchIndexes.Searchable(m.Status)
            ? indexes.Technologies.IndexAsync(SearchIndexes.Document(m.TechnologyId, m.Version, m.Technology), context.CancellationToken)
            : indexes.Technologies.DeleteAsync(m.TechnologyId.ToString(), m.Version, context.CancellationToken));
        SearchIndexes.Record(m.UpdatedAt);
    }

    public async Task Consume(ConsumeContext<TechnologyWithdrawn> context)
    {
        await indexes.Technologies.DeleteAsync(context.Message.TechnologyId.ToString(), context.Message.Version, context.CancellationToken);
        SearchIndexes.Record(context.Message.WithdrawnAt);
    }

    public async Task Consume(ConsumeContext<TechnologyTransferred> context)
    {
        await indexes.Technologies.DeleteAsync(context.Message.TechnologyId.ToString(), context.Message.Version, context.CancellationToken);
        SearchIndexes.Record(context.Message.TransferredAt);
    }

    public async Task Consume(ConsumeContext<NeedPublished> context)
    {
        var m = context.Message;
        await indexes.Needs.IndexAsync(SearchIndexes.Document(m.NeedId, m.Version, m.Need), context.CancellationToken);
        SearchIndexes.Record(m.PublishedAt);
    }

    public async Task Consume(ConsumeContext<NeedUpdated> context)
    {
        var m = context.Message;
        await (SearchIndexes.Searchable(m.Status)
            ? indexes.Needs.IndexAsync(SearchIndexes.Document(m.NeedId, m.Version, m.Need), context.CancellationToken)
            : indexes.Needs.DeleteAsync(m.NeedId.ToString(), m.Version, context.CancellationToken));
        SearchIndexes.Record(m.UpdatedAt);
    }

    public async Task Consume(ConsumeContext<NeedClosed> context)
    {
        await indexes.Needs.DeleteAsync(context.Message.NeedId.ToString(), context.Message.Version, context.CancellationToken);
        SearchIndexes.Record(context.Message.ClosedAt);
    }
}

/// <summary>The published listings of the database as search documents, read in pages (what rebuilds and first fills index).</summary>
public static class SearchSource
{
    private const int Batch = 500;
    private const string Searchable = "status IN ('published', 'under-negotiation')";

    public static IAsyncEnumerable<SearchDocument> ReadAsync(NpgsqlDataSource dataSource, string collection, CancellationToken ct) => collection switch
    {
        "technologies" => ReadAsync(dataSource, TechnologyStore.Instance, t => SearchIndexes.Document(t.Id, t.Version, TechnologyStore.PublicData(t)), ct),
        "needs" => ReadAsync(dataSource, NeedStore.Instance, n => SearchIndexes.Document(n.Id, n.Version, NeedStore.PublicData(n)), ct),
        _ => throw new ArgumentException($"Unknown collection '{collection}'; technologies or needs.", nameof(collection)),
    };

    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, string collection, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var table = collection == "needs" ? "needs" : "technologies";
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {table} WHERE {Searchable}", cancellationToken: ct));
    }

    private static async IAsyncEnumerable<SearchDocument> ReadAsync<TView>(NpgsqlDataSource dataSource, IListingKind<TView> kind,
        Func<TView, SearchDocument> document, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        where TView : class, IListing
    {
        for (var page = 1; ; page++)
        {
            var rows = await kind.PageAsync(dataSource, Searchable, "id", new DynamicParameters(), page, Batch, ct);
            foreach (var row in rows.Items)
            {
                yield return document(row);
            }
            if (rows.Items.Count < Batch)
            {
                yield break;
            }
        }
    }
}

/// <summary>
/// Fills an empty index from the database at start-up (a new installation, or an index directory that was removed to
/// rebuild it), with progress in the log; events published meanwhile still apply by version. An index whose documents
/// were read with another thesaurus (a new release of <c>seeds/thesaurus</c>) is rebuilt while it serves
/// (<see cref="SearchRebuilds"/>, status at <c>GET /api/search/rebuilds/{collection}</c>).
/// </summary>
public sealed class SearchIndexBootstrap(SearchIndexes indexes, NpgsqlDataSource dataSource, SearchRebuilds rebuilds,
    ILogger<SearchIndexBootstrap> logger) : BackgroundService
{
    /// <summary>Who a rebuild started at start-up was requested by, in its status.</summary>
    public const string ThesaurusChanged = "start-up: the thesaurus changed";

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            foreach (var (name, engine) in new[] { ("technologies", indexes.Technologies), ("needs", indexes.Needs) })
            {
                await FillAsync(name, engine, ct);
                if (await engine.ThesaurusOutdatedAsync(ct))
                {
                    logger.LogWarning("Search index {Name} was built with another thesaurus: rebuilding it from the database while it serves", name);
                    rebuilds.Start(name, ThesaurusChanged);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Filling the search index failed; it fills from events from now on. Run the reindex command (docs/search.md) to rebuild it.");
        }
    }

    private async Task FillAsync(string name, ISearchEngine engine, CancellationToken ct)
    {
        if ((await engine.SearchAsync(new SearchQuery(null, PageSize: 1), ct)).Total > 0)
        {
            return;
        }
        var total = await SearchSource.CountAsync(dataSource, name, ct);
        if (total == 0)
        {
            return;
        }
        logger.LogInformation("Search index {Name} is empty: indexing {Total} published listings from the database", name, total);
        var done = 0;
        await foreach (var chunk in SearchSource.ReadAsync(dataSource, name, ct).Chunk(500).WithCancellation(ct))
        {
            await engine.BulkAsync(chunk, ct);
            done += chunk.Length;
            logger.LogInformation("Search index {Name}: {Done}/{Total}", name, done, total);
        }
    }
}

public static class SearchRegistration
{
    /// <summary>The embedded indexes under <c>Listing:Search:IndexPath</c>, filled from the database when empty, then by events.</summary>
    public static IHostApplicationBuilder AddSearchIndexes(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SearchOptions.Section).Get<SearchOptions>() ?? new SearchOptions();
        var root = Path.GetFullPath(options.IndexPath, builder.Environment.ContentRootPath);
        var thesaurus = options.ThesaurusPath is { Length: > 0 } path
            ? Thesaurus.Load(Path.GetFullPath(path, builder.Environment.ContentRootPath))
            : Thesaurus.LoadDefault();
        var engines = builder.Configuration.GetSection(SearchEngineSettings.Section).Get<SearchEngineSettings>() ?? new SearchEngineSettings();
        builder.Services.AddSingleton(_ => new SearchIndexes(engines, root, thesaurus));
        builder.Services.AddHostedService<SearchIndexBootstrap>();
        builder.Services.AddSingleton<SearchRebuilds>();
        return builder;
    }
}
