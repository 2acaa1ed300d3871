using Dapper;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Technologies;

/// <summary>Query-string filters of the public technology list; every value is checked against the reference data.</summary>
public sealed class TechnologyFilter
{
    public string? Field { get; init; }
    public string? Country { get; init; }
    public string? Language { get; init; }
    public string? Stage { get; init; }
    public string? PricingMode { get; init; }
    public string? TransferMode { get; init; }
    public string? IpType { get; init; }
    public int? TrlMin { get; init; }
    public int? TrlMax { get; init; }
    public Guid? OrganisationId { get; init; }

    /// <summary>One of the public states; all three when absent.</summary>
    public string? Status { get; init; }

    public int? Page { get; init; }
    public int? PageSize { get; init; }

    internal int PageOrDefault => Page ?? 1;
    internal int PageSizeOrDefault => PageSize ?? 20;

    internal Validation Validate()
    {
        var v = Paging.Validate(PageOrDefault, PageSizeOrDefault);
        Known(v, "field", Field, ListingReferenceData.FieldCodes);
        Known(v, "country", Country, ListingReferenceData.Countries);
        Known(v, "language", Language, ContentLanguages.All);
        Known(v, "stage", Stage, ListingReferenceData.Stages);
        Known(v, "pricingMode", PricingMode, ListingReferenceData.PricingModes);
        Known(v, "transferMode", TransferMode, ListingReferenceData.TransferModes);
        Known(v, "ipType", IpType, ListingReferenceData.IpTypes);
        Known(v, "status", Status, TechnologyStore.Public);
        v.Check(TrlMin is null or (>= 1 and <= 9), "trlMin", "TRL is 1 to 9.")
            .Check(TrlMax is null or (>= 1 and <= 9), "trlMax", "TRL is 1 to 9.")
            .Check(TrlMin is null || TrlMax is null || TrlMin <= TrlMax, "trlMax", "trlMax must not be below trlMin.");
        return v;
    }

    internal (string Where, DynamicParameters Parameters) ToSql()
    {
        var where = new List<string>();
        var p = new DynamicParameters();
        void Add(string sql, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(sql);
                p.Add(name, value);
            }
        }
        Add("@field = ANY(fields)", "field", Field);
        Add("@country = ANY(target_countries)", "country", Country);
        Add("(language = @language OR translations @> jsonb_build_array(jsonb_build_object('language', @language::text)))", "language", Language);
        Add("stage = @stage", "stage", Stage);
        Add("pricing_mode = @pricingMode", "pricingMode", PricingMode);
        Add("@transferMode = ANY(transfer_modes)", "transferMode", TransferMode);
        Add("@ipType = ANY(ip_types)", "ipType", IpType);
        Add("trl >= @trlMin", "trlMin", TrlMin);
        Add("trl <= @trlMax", "trlMax", TrlMax);
        Add("organisation_id = @organisationId", "organisationId", OrganisationId);
        return (string.Concat(where.Select(w => " AND " + w)), p);
    }

    private static void Known(Validation v, string name, string? value, IEnumerable<string> known)
    {
        if (value is not null && !known.Contains(value))
        {
            v.Add(name, $"Unknown {name} '{value}'; see GET /api/listings/reference for the values.");
        }
    }
}
