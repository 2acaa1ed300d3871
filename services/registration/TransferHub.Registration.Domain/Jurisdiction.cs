namespace TransferHub.Registration.Domain;

/// <summary>A party of a contract as registration sees it.</summary>
/// <param name="Country">ISO 3166-1 alpha-2.</param>
/// <param name="RegionCode">China's administrative division code (6 digits, e.g. 530100 Kunming) for a domestic party.</param>
/// <param name="Role">What the party does in the contract (provider of the technology, or the other side).</param>
public sealed record Party(string Name, string Country, string? RegionCode, ProvidingRole? Role);

/// <summary>A certification and registration station and the region codes it serves.</summary>
/// <param name="Code">The station's code, e.g. 530100-01.</param>
/// <param name="RegionCodes">Division codes served; a code ending in zeros covers its subdivisions (530100 covers 530102).</param>
public sealed record Station(string Code, string NameZh, string NameEn, IReadOnlyList<string> RegionCodes);

/// <summary>The outcome of a jurisdiction check: the party that registers and the competent station, or why none.</summary>
public sealed record JurisdictionResult(Party? Registrant, Station? Competent, string? Problem)
{
    public bool IsCompetent(Station station) => Competent?.Code == station.Code;
}

/// <summary>
/// Registration is once, by territory, made by the providing party at the station of its locality; for a technology
/// import (foreign provider) the domestic party registers instead.
/// </summary>
public static class JurisdictionRule
{
    public static JurisdictionResult Decide(SubCategory subCategory, IReadOnlyList<Party> parties, IReadOnlyList<Station> stations)
    {
        var provider = parties.FirstOrDefault(p => p.Role == subCategory.Provider);
        if (provider is null)
        {
            return new JurisdictionResult(null, null, $"No party is the {subCategory.Provider} of this {subCategory.NameEn} contract.");
        }
        var registrant = provider.Country == "CN"
            ? provider
            : parties.FirstOrDefault(p => p != provider && p.Country == "CN");
        if (registrant is null)
        {
            return new JurisdictionResult(null, null, "Neither the provider nor any other party is domestic (CN); the contract is not registered in China.");
        }
        if (registrant.RegionCode is not { Length: 6 } region || !region.All(char.IsAsciiDigit))
        {
            return new JurisdictionResult(registrant, null, $"{registrant.Name} has no 6-digit region code; the competent station cannot be found.");
        }
        var station = stations
            .SelectMany(s => s.RegionCodes.Select(code => (Station: s, Code: code)))
            .Where(x => Covers(x.Code, region))
            .OrderByDescending(x => x.Code.TrimEnd('0').Length)
            .Select(x => x.Station)
            .FirstOrDefault();
        return station is null
            ? new JurisdictionResult(registrant, null, $"No station serves region {region}.")
            : new JurisdictionResult(registrant, station, null);
    }

    /// <summary>530000 covers every 53xxxx, 530100 every 5301xx, 530102 only itself.</summary>
    public static bool Covers(string stationRegion, string region)
    {
        var prefix = stationRegion.Length == 6 && stationRegion.EndsWith("0000", StringComparison.Ordinal) ? stationRegion[..2]
            : stationRegion.Length == 6 && stationRegion.EndsWith("00", StringComparison.Ordinal) ? stationRegion[..4]
            : stationRegion;
        return region.StartsWith(prefix, StringComparison.Ordinal);
    }
}
