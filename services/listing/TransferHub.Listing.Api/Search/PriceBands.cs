using System.Collections.Frozen;

namespace TransferHub.Listing.Api.Search;

/// <summary>
/// Price bands for the search facet and price sort: asking prices and budgets compared across currencies in CNY at
/// indicative rates (rounded 2026 averages). They only place a listing in a band and order results; they are never a
/// quotation — a contract's exchange rate is recorded at registration.
/// </summary>
public static class PriceBands
{
    public static readonly IReadOnlyList<string> Bands = ["under-100k", "100k-1m", "1m-10m", "over-10m", "on-request"];

    private static readonly FrozenDictionary<string, decimal> CnyPerUnit = new Dictionary<string, decimal>(StringComparer.Ordinal)
    {
        ["CNY"] = 1m, ["USD"] = 7.2m, ["EUR"] = 7.8m, ["GBP"] = 9.1m, ["JPY"] = 0.048m, ["KRW"] = 0.0052m, ["HKD"] = 0.92m,
        ["SGD"] = 5.4m, ["THB"] = 0.2m, ["VND"] = 0.00028m, ["LAK"] = 0.00033m, ["KHR"] = 0.0018m, ["MMK"] = 0.0034m,
        ["IDR"] = 0.00045m, ["MYR"] = 1.55m, ["PHP"] = 0.125m, ["INR"] = 0.085m, ["NPR"] = 0.053m, ["BDT"] = 0.06m,
        ["LKR"] = 0.024m, ["PKR"] = 0.026m, ["BND"] = 5.4m, ["AUD"] = 4.7m,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The amount in CNY at the indicative rate, or null when there is no price or the currency has no rate here.</summary>
    public static double? InCny(decimal? amount, string? currency) =>
        amount is { } a && currency is not null && CnyPerUnit.TryGetValue(currency, out var rate) ? (double)(a * rate) : null;

    public static string Band(decimal? amount, string? currency) => InCny(amount, currency) switch
    {
        null => "on-request",
        < 100_000 => "under-100k",
        < 1_000_000 => "100k-1m",
        < 10_000_000 => "1m-10m",
        _ => "over-10m",
    };
}
