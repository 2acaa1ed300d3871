using Microsoft.AspNetCore.Http.HttpResults;
using TransferHub.Search;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Search;

/// <summary>
/// A result: the listing's public title and summary in its original language, the languages and thesaurus concepts it
/// matched in, its score; with <c>highlight=true</c> the title and a summary fragment (in the matched language) with the
/// matched words in &lt;mark&gt; and the rest HTML-escaped; with <c>explain=true</c> how the score was computed.
/// </summary>
public sealed record SearchItem(Guid Id, string Title, string Summary, string Language, IReadOnlyList<string> MatchedLanguages,
    IReadOnlyList<string> MatchedConcepts, float Score, IReadOnlyDictionary<string, string>? Highlights, string? Explanation);

/// <summary>
/// A page of results, the facet counts over the whole result, a corrected query when the text looks misspelt, and
/// <c>relaxed</c> when fewer than a page of listings had the query's words (or concepts), so listings with some of its
/// words follow them.
/// </summary>
public sealed record SearchAnswer(long Total, int Page, int PageSize, IReadOnlyList<SearchItem> Items,
    IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets, string? DidYouMean, bool Relaxed);

public sealed record SuggestAnswer(IReadOnlyList<Suggestion> Suggestions);

/// <summary>
/// Anonymous search of published technologies and needs in any of the 16 languages (public data only: the index never
/// holds confidential detail). Filters are facet values; every answer counts the facets of the whole result.
/// </summary>
public static class SearchEndpoints
{
    private const int MaxQueryLength = 500;
    public static readonly IReadOnlyList<string> TechnologyFacets =
        ["field", "country", "trl", "stage", "ipType", "transferMode", "pricingMode", "priceBand", "language"];
    public static readonly IReadOnlyList<string> NeedFacets = ["field", "country", "trl", "openCall", "priceBand", "language"];
    private static readonly IReadOnlyList<string> Parameters = ["q", "page", "pageSize", "sort", "highlight", "explain"];

    /// <summary>The orders a result can be asked in: relevance (default), then by number fields of the documents.</summary>
    public static readonly IReadOnlyDictionary<string, SortBy?> Sorts = new Dictionary<string, SortBy?>(StringComparer.Ordinal)
    {
        ["relevance"] = null,
        ["newest"] = new SortBy("published"),
        ["oldest"] = new SortBy("published", Descending: false),
        ["price-asc"] = new SortBy("price", Descending: false),
        ["price-desc"] = new SortBy("price"),
        ["trl-desc"] = new SortBy("trl"),
    };

    public static WebApplication MapSearchEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/search").WithTags("Search").AllowAnonymous();
        group.MapGet("/technologies", (HttpRequest request, SearchIndexes indexes, CancellationToken ct) =>
                SearchAsync(request, indexes.Technologies, TechnologyFacets, ct))
            .WithSummary($"Published technologies matching q (any language), filtered by {string.Join(", ", TechnologyFacets)}; facet counts included.");
        group.MapGet("/needs", (HttpRequest request, SearchIndexes indexes, CancellationToken ct) => SearchAsync(request, indexes.Needs, NeedFacets, ct))
            .WithSummary($"Published needs matching q (any language), filtered by {string.Join(", ", NeedFacets)}; facet counts included.");
        group.MapGet("/suggest", SuggestAsync)
            .WithSummary("Autocomplete: titles and keywords of published technologies (in=technologies, default) or needs (in=needs) starting with q.");
        return app;
    }

    private static async Task<Results<Ok<SuggestAnswer>, ValidationProblem>> SuggestAsync(HttpRequest request, SearchIndexes indexes, CancellationToken ct)
    {
        var query = request.Query;
        var v = new Validation();
        foreach (var key in query.Keys.Where(k => k is not ("q" or "in" or "count")))
        {
            v.Add(key, $"Unknown parameter '{key}'; use q, in (technologies or needs) and count.");
        }
        var text = query["q"].ToString();
        v.Require("q", text.Length == 0 ? null : text, 100);
        var collection = query["in"].ToString() is { Length: > 0 } name ? name : "technologies";
        var engine = indexes.Collection(collection);
        v.Check(engine is not null, "in", "'in' is technologies or needs.");
        var count = Number(query, "count", 10, 1, 20, v);
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        return TypedResults.Ok(new SuggestAnswer(await engine!.SuggestAsync(text, count, ct)));
    }

    private static async Task<Results<Ok<SearchAnswer>, ValidationProblem>> SearchAsync(HttpRequest request, ISearchEngine engine,
        IReadOnlyList<string> facets, CancellationToken ct)
    {
        var query = request.Query;
        var v = new Validation();
        var text = query["q"].ToString();
        v.Optional("q", text.Length == 0 ? null : text, MaxQueryLength);
        var page = Number(query, "page", 1, 1, 1000, v);
        var pageSize = Number(query, "pageSize", 20, 1, Paging.MaxPageSize, v);
        var filters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var sortName = query["sort"].ToString() is { Length: > 0 } requested ? requested : "relevance";
        v.Check(Sorts.ContainsKey(sortName), "sort", $"'sort' is one of {string.Join(", ", Sorts.Keys)}.");
        var highlight = Flag(query, "highlight", v);
        var explain = Flag(query, "explain", v);
        foreach (var (key, values) in query)
        {
            if (Parameters.Contains(key))
            {
                v.Check(values.Count == 1, key, $"'{key}' is given once.");
                continue;
            }
            if (!facets.Contains(key))
            {
                v.Add(key, $"Unknown filter '{key}'; use {string.Join(", ", Parameters)} or one of {string.Join(", ", facets)}.");
                continue;
            }
            var list = values.Where(x => !string.IsNullOrEmpty(x)).Select(x => x!).ToList();
            v.Check(list.Count <= 20 && list.All(x => x.Length <= 100 && !x.Any(char.IsControl)), key, "At most 20 values of at most 100 characters.");
            filters[key] = list;
        }
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        var result = await engine.SearchAsync(new SearchQuery(text.Length == 0 ? null : text, filters, facets, page, pageSize,
            Sorts[sortName], highlight, explain), ct);
        var items = result.Hits.Select(h => new SearchItem(Guid.Parse(h.Id), h.Stored.GetValueOrDefault("title", ""), h.Stored.GetValueOrDefault("summary", ""),
            h.Stored.GetValueOrDefault("language", ""), h.MatchedLanguages, h.MatchedConcepts, h.Score, h.Highlights, h.Explanation)).ToList();
        return TypedResults.Ok(new SearchAnswer(result.Total, page, pageSize, items, result.Facets, result.DidYouMean, result.Relaxed));
    }

    private static bool Flag(IQueryCollection query, string name, Validation v)
    {
        var raw = query[name].ToString();
        if (raw.Length == 0)
        {
            return false;
        }
        if (!bool.TryParse(raw, out var value))
        {
            v.Add(name, $"'{name}' is true or false.");
        }
        return value;
    }

    private static int Number(IQueryCollection query, string name, int fallback, int min, int max, Validation v)
    {
        var raw = query[name].ToString();
        if (raw.Length == 0)
        {
            return fallback;
        }
        if (!int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ||
            value < min || value > max)
        {
            v.Add(name, $"'{name}' is a whole number from {min} to {max}.");
            return fallback;
        }
        return value;
    }
}
