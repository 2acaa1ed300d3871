using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Technologies;

/// <summary>Field rules for a technology. Field names in errors are the JSON paths, e.g. <c>owners[1].share</c>.</summary>
internal static class TechnologyValidation
{
    public static Validation Validate(TechnologyInput input, DateOnly today)
    {
        var v = new Validation()
            .PublicText(input.Title, input.Summary, input.Language, input.Keywords, input.Translations)
            .Optional("confidentialDetail", input.ConfidentialDetail, 50_000);

        v.Codes("fields", input.Fields, ListingReferenceData.FieldCodes, max: 5);
        v.Check(input.Trl is null or (>= 1 and <= 9), "trl", "TRL is 1 to 9.");
        v.Check(input.Stage is null || ListingReferenceData.Stages.Contains(input.Stage), "stage",
            $"Unknown stage '{input.Stage}'; use one of {string.Join(", ", ListingReferenceData.Stages)}.");

        var ip = input.IpRecords ?? [];
        v.Check(ip.Count <= 50, "ipRecords", "At most 50 IP records.");
        for (var i = 0; i < ip.Count; i++)
        {
            var r = ip[i];
            var at = $"ipRecords[{i}]";
            if (r is null)
            {
                v.Add(at, "An IP record is an object with type and status.");
                continue;
            }
            v.Check(r.Type is not null && ListingReferenceData.IpTypes.Contains(r.Type), $"{at}.type",
                    $"Unknown IP type '{r.Type}'; use one of {string.Join(", ", ListingReferenceData.IpTypes)}.")
                .Check(r.Status is not null && ListingReferenceData.IpStatuses.Contains(r.Status), $"{at}.status",
                    $"Unknown IP status '{r.Status}'; use one of {string.Join(", ", ListingReferenceData.IpStatuses)}.")
                .Optional($"{at}.number", r.Number, 64)
                .Optional($"{at}.office", r.Office, 100);
        }

        var owners = input.Owners ?? [];
        v.Check(owners.Count <= 20, "owners", "At most 20 owners.");
        for (var i = 0; i < owners.Count; i++)
        {
            var o = owners[i];
            var at = $"owners[{i}]";
            if (o is null)
            {
                v.Add(at, "An owner is an object with name and share.");
                continue;
            }
            v.Require($"{at}.name", o.Name, 300)
                .Check(o.Share is > 0 and <= 100 && decimal.Round(o.Share.Value, 2) == o.Share.Value, $"{at}.share",
                    "A share is a percentage above 0 and at most 100, with at most two decimals.");
        }
        if (owners.Count > 0 && owners.All(o => o?.Share is not null))
        {
            var total = owners.Sum(o => o!.Share!.Value);
            v.Check(total == 100m, "owners", $"The owners' shares add up to {total}%; they must add up to exactly 100%.");
        }

        v.Codes("transferModes", input.TransferModes, ListingReferenceData.TransferModes, max: ListingReferenceData.TransferModes.Count);

        var pricing = input.PricingMode ?? "negotiated";
        if (!ListingReferenceData.PricingModes.Contains(pricing))
        {
            v.Add("pricingMode", $"Unknown pricing mode '{pricing}'; use one of {string.Join(", ", ListingReferenceData.PricingModes)}.");
        }
        else if (pricing != "negotiated" && input.Price is null)
        {
            v.Add("price", pricing == "auction" ? "An auction needs a reserve price." : "A listed price needs the price.");
        }
        v.Money("price", input.Price, input.Currency);
        v.Codes("targetCountries", input.TargetCountries, ListingReferenceData.Countries, max: 60,
            what: "an ISO 3166-1 alpha-2 code such as CN, LA, TH, VN, MM, KH");

        v.Contact(input.Contact);
        v.Check(input.ExpiresOn is null || input.ExpiresOn > today, "expiresOn", "The expiry date must be in the future.");
        return v;
    }

    /// <summary>What a submission needs beyond a valid draft: enough for a moderator and a buyer to judge it.</summary>
    public static Validation ValidateForSubmission(TechnologyView t) => new Validation()
        .Check(t.Fields.Count > 0, "fields", "Choose at least one field of technology before submitting.")
        .Check(t.Trl is not null, "trl", "Give the technology readiness level (1-9) before submitting.")
        .Check(t.TransferModes.Count > 0, "transferModes", "Offer at least one transfer mode before submitting.");

    /// <summary>The stored form of valid input (trimmed, de-duplicated).</summary>
    public static NormalisedTechnology Normalise(TechnologyInput input) => new(
        input.Title!.Trim(), input.Summary!.Trim(), input.Language!, ListingValidation.CleanKeywords(input.Keywords),
        ListingValidation.CleanTranslations(input.Translations),
        (input.Fields ?? []).ToArray(), input.Trl, input.Stage,
        (input.IpRecords ?? []).Select(r => new IpRecord(r.Type!, ListingValidation.Trim(r.Number), ListingValidation.Trim(r.Office), r.Status!, r.Expiry)).ToList(),
        (input.Owners ?? []).Select(o => new Owner(o.Name!.Trim(), o.OrganisationId, o.Share!.Value)).ToList(),
        (input.TransferModes ?? []).ToArray(), input.PricingMode ?? "negotiated", input.Price, input.Currency,
        (input.TargetCountries ?? []).ToArray(),
        ListingValidation.CleanContact(input.Contact),
        input.ExpiresOn, input.ConfidentialDetail);
}

internal sealed record NormalisedTechnology(
    string Title, string Summary, string Language, string[] Keywords, IReadOnlyList<LocalizedText> Translations, string[] Fields,
    int? Trl, string? Stage, IReadOnlyList<IpRecord> IpRecords, IReadOnlyList<Owner> Owners, string[] TransferModes,
    string PricingMode, decimal? Price, string? Currency, string[] TargetCountries, Contact? Contact, DateOnly? ExpiresOn,
    string? ConfidentialDetail);
