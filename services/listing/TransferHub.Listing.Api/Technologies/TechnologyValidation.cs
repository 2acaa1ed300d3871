using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Technologies;

/// <summary>Field rules for a technology. Field names in errors are the JSON paths, e.g. <c>owners[1].share</c>.</summary>
internal static class TechnologyValidation
{
    public const int MaxKeywords = 30;

    public static Validation Validate(TechnologyInput input, DateOnly today)
    {
        var v = new Validation()
            .Require("title", input.Title, 300)
            .Require("summary", input.Summary, 10_000)
            .Require("language", input.Language, 3)
            .Optional("confidentialDetail", input.ConfidentialDetail, 50_000);
        if (input.Language is not null && !ContentLanguages.All.Contains(input.Language))
        {
            v.Add("language", $"Unknown language '{input.Language}'; use one of {string.Join(", ", ContentLanguages.All)}.");
        }
        Keywords(v, "keywords", input.Keywords);

        var translations = input.Translations ?? [];
        v.Check(translations.Count <= ContentLanguages.All.Count, "translations", "At most one translation per language.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < translations.Count; i++)
        {
            var t = translations[i];
            var at = $"translations[{i}]";
            if (t is null)
            {
                v.Add(at, "A translation is an object with language, title and summary.");
                continue;
            }
            v.Require($"{at}.title", t.Title, 300).Require($"{at}.summary", t.Summary, 10_000);
            if (t.Language is null || !ContentLanguages.All.Contains(t.Language))
            {
                v.Add($"{at}.language", $"Unknown language '{t.Language}'; use one of {string.Join(", ", ContentLanguages.All)}.");
            }
            else if (t.Language == input.Language || !seen.Add(t.Language))
            {
                v.Add($"{at}.language", $"'{t.Language}' is already the original language or another translation.");
            }
            Keywords(v, $"{at}.keywords", t.Keywords);
        }

        Codes(v, "fields", input.Fields, ListingReferenceData.FieldCodes, max: 5);
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

        Codes(v, "transferModes", input.TransferModes, ListingReferenceData.TransferModes, max: ListingReferenceData.TransferModes.Count);

        var pricing = input.PricingMode ?? "negotiated";
        if (!ListingReferenceData.PricingModes.Contains(pricing))
        {
            v.Add("pricingMode", $"Unknown pricing mode '{pricing}'; use one of {string.Join(", ", ListingReferenceData.PricingModes)}.");
        }
        else if (pricing != "negotiated" && input.Price is null)
        {
            v.Add("price", pricing == "auction" ? "An auction needs a reserve price." : "A listed price needs the price.");
        }
        if (input.Price is not null)
        {
            v.Check(input.Price > 0 && input.Price < 1_000_000_000_000m && decimal.Round(input.Price.Value, 2) == input.Price.Value, "price",
                    "A price is above 0, below 10^12, with at most two decimals.")
                .Check(input.Currency is not null, "currency", "A price needs its ISO 4217 currency, e.g. CNY, USD, THB.");
        }
        v.Check(input.Currency is null || ListingReferenceData.Currencies.Contains(input.Currency), "currency",
            $"Unknown currency '{input.Currency}'; use an ISO 4217 code such as CNY, USD, VND, THB, LAK, KHR, MMK.");

        Codes(v, "targetCountries", input.TargetCountries, ListingReferenceData.Countries, max: 60,
            what: "an ISO 3166-1 alpha-2 code such as CN, LA, TH, VN, MM, KH");

        if (input.Contact is { } contact)
        {
            v.Require("contact.name", contact.Name, 200)
                .Optional("contact.email", contact.Email, 254)
                .Optional("contact.phone", contact.Phone, 40)
                .Check(contact.Email is null || (contact.Email.IndexOf('@') is > 0 && contact.Email.IndexOf('@') < contact.Email.Length - 1),
                    "contact.email", "Not an e-mail address.");
        }
        v.Check(input.ExpiresOn is null || input.ExpiresOn > today, "expiresOn", "The expiry date must be in the future.");
        return v;
    }

    /// <summary>What a submission needs beyond a valid draft: enough for a moderator and a buyer to judge it.</summary>
    public static Validation ValidateForSubmission(TechnologyView t) => new Validation()
        .Check(t.Fields.Count > 0, "fields", "Choose at least one field of technology before submitting.")
        .Check(t.Trl is not null, "trl", "Give the technology readiness level (1-9) before submitting.")
        .Check(t.TransferModes.Count > 0, "transferModes", "Offer at least one transfer mode before submitting.");

    private static void Keywords(Validation v, string field, IReadOnlyList<string>? keywords)
    {
        if (keywords is null)
        {
            return;
        }
        v.Check(keywords.Count <= MaxKeywords, field, $"At most {MaxKeywords} keywords.")
            .Check(keywords.All(k => k is { Length: > 0 and <= 100 } && !k.Any(char.IsControl)), field,
                "Each keyword is 1 to 100 characters without control characters.");
    }

    private static void Codes(Validation v, string field, IReadOnlyList<string>? values, IEnumerable<string> known, int max,
        string? what = null)
    {
        if (values is null)
        {
            return;
        }
        var set = known as ISet<string> ?? known.ToHashSet(StringComparer.Ordinal);
        v.Check(values.Count <= max, field, $"At most {max} values.");
        var unknown = values.Where(x => x is null || !set.Contains(x)).Select(x => x ?? "null").Distinct().ToList();
        if (unknown.Count > 0)
        {
            v.Add(field, $"Unknown value(s) {string.Join(", ", unknown.Select(x => $"'{x}'"))}; use " +
                (what ?? $"one of {string.Join(", ", set.Order(StringComparer.Ordinal))}") + ".");
        }
        v.Check(values.Distinct().Count() == values.Count, field, "Each value only once.");
    }

    /// <summary>The stored form of valid input (trimmed, de-duplicated).</summary>
    public static NormalisedTechnology Normalise(TechnologyInput input) => new(
        input.Title!.Trim(), input.Summary!.Trim(), input.Language!, CleanKeywords(input.Keywords),
        (input.Translations ?? []).Select(t => new LocalizedText(t.Language!, t.Title!.Trim(), t.Summary!.Trim(), CleanKeywords(t.Keywords))).ToList(),
        (input.Fields ?? []).ToArray(), input.Trl, input.Stage,
        (input.IpRecords ?? []).Select(r => new IpRecord(r.Type!, Trim(r.Number), Trim(r.Office), r.Status!, r.Expiry)).ToList(),
        (input.Owners ?? []).Select(o => new Owner(o.Name!.Trim(), o.OrganisationId, o.Share!.Value)).ToList(),
        (input.TransferModes ?? []).ToArray(), input.PricingMode ?? "negotiated", input.Price, input.Currency,
        (input.TargetCountries ?? []).ToArray(),
        input.Contact is null ? null : new Contact(input.Contact.Name!.Trim(), Trim(input.Contact.Email), Trim(input.Contact.Phone)),
        input.ExpiresOn, input.ConfidentialDetail);

    private static string[] CleanKeywords(IReadOnlyList<string>? keywords) =>
        (keywords ?? []).Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToArray();

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

internal sealed record NormalisedTechnology(
    string Title, string Summary, string Language, string[] Keywords, IReadOnlyList<LocalizedText> Translations, string[] Fields,
    int? Trl, string? Stage, IReadOnlyList<IpRecord> IpRecords, IReadOnlyList<Owner> Owners, string[] TransferModes,
    string PricingMode, decimal? Price, string? Currency, string[] TargetCountries, Contact? Contact, DateOnly? ExpiresOn,
    string? ConfidentialDetail);
