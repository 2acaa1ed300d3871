using Microsoft.AspNetCore.Http.HttpResults;
using TransferHub.Search;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Search;

public sealed record SearchItem(Guid Id, string Title, string Summary, string Language, IReadOnlyList<string> MatchedLanguages, float Score);

public sealed record SearchAnswer(long Total, int Page, int PageSize, IReadOnlyList<SearchItem> Items, IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets);

/// <summary>
/// Anonymous search of published technologies and needs in any of the 16 languages (public data only: the index never
/// holds confidential detail). Filters are facet values; every answer counts the facets of the whole result.
/// </summary>
public static class SearchEndpoints
{
    private const int MaxQueryLength = 500;
    public static readonly IReadOnlyList<string> TechnologyFacets = ["field", "country", "trl", "stage", "ipType", "transferMode", "pricingMode", "language"];
    public static readonly IReadOnlyList<string> NeedFacets = ["field", "country", "trl", "openCall", "language"];

    public static WebApplication MapSearchEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/search").WithTags("Search").AllowAnonymous();
        group.MapGet("/technologies", (HttpRequest request, SearchIndexes indexes, CancellationToken ct) =>
                SearchAsync(request, indexes.Technologies, TechnologyFacets, ct))
            .WithSummary($"Published technologies matching q (any language), filtered by {string.Join(", ", TechnologyFacets)}; facet counts included.");
        group.MapGet("/needs", (HttpRequest request, SearchIndexes indexes, CancellationToken ct) => SearchAsync(request, indexes.Needs, NeedFacets, ct))
            .WithSummary($"Published needs matching q (any language), filtered by {string.Join(", ", NeedFacets)}; facet counts included.");
        return app;
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
        foreach (var (key, values) in query)
        {
            if (key is "q" or "page" or "pageSize")
            {
                continue;
            }
            if (!facets.Contains(key))
            {
                v.Add(key, $"Unknown filter '{key}'; use q, page, pageSize or one of {string.Join(", ", facets)}.");
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
        var result = await engine.SearchAsync(new SearchQuery(text.Length == 0 ? null : text, filters, facets, page, pageSize), ct);
        var items = result.Hits.Select(h => new SearchItem(Guid.Parse(h.Id), h.Stored.GetValueOrDefault("title", ""), h.Stored.GetValueOrDefault("summary", ""),
            h.Stored.GetValueOrDefault("language", ""), h.MatchedLanguages, h.Score)).ToList();
        return TypedResults.Ok(new SearchAnswer(result.Total, page, pageSize, items, result.Facets));
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
