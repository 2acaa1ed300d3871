using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Listings;

/// <summary>Rules shared by technologies and needs. Field names in errors are JSON paths, e.g. <c>translations[0].language</c>.</summary>
internal static class ListingValidation
{
    public const int MaxKeywords = 30;

    /// <summary>Title, summary, language, keywords and translations: the multilingual public text of a listing.</summary>
    public static Validation PublicText(this Validation v, string? title, string? summary, string? language, IReadOnlyList<string>? keywords,
        IReadOnlyList<TranslationInput>? translations)
    {
        v.Require("title", title, 300).Require("summary", summary, 10_000).Require("language", language, 3);
        if (language is not null && !ContentLanguages.All.Contains(language))
        {
            v.Add("language", $"Unknown language '{language}'; use one of {string.Join(", ", ContentLanguages.All)}.");
        }
        v.Keywords("keywords", keywords);
        var list = translations ?? [];
        v.Check(list.Count <= ContentLanguages.All.Count, "translations", "At most one translation per language.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var t = list[i];
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
            else if (t.Language == language || !seen.Add(t.Language))
            {
                v.Add($"{at}.language", $"'{t.Language}' is already the original language or another translation.");
            }
            v.Keywords($"{at}.keywords", t.Keywords);
        }
        return v;
    }

    public static Validation Keywords(this Validation v, string field, IReadOnlyList<string>? keywords) =>
        keywords is null
            ? v
            : v.Check(keywords.Count <= MaxKeywords, field, $"At most {MaxKeywords} keywords.")
                .Check(keywords.All(k => k is { Length: > 0 and <= 100 } && !k.Any(char.IsControl)), field,
                    "Each keyword is 1 to 100 characters without control characters.");

    /// <summary>Each value known, each once, at most <paramref name="max"/>.</summary>
    public static Validation Codes(this Validation v, string field, IReadOnlyList<string>? values, IEnumerable<string> known, int max,
        string? what = null)
    {
        if (values is null)
        {
            return v;
        }
        var set = known as ISet<string> ?? known.ToHashSet(StringComparer.Ordinal);
        v.Check(values.Count <= max, field, $"At most {max} values.");
        var unknown = values.Where(x => x is null || !set.Contains(x)).Select(x => x ?? "null").Distinct().ToList();
        if (unknown.Count > 0)
        {
            v.Add(field, $"Unknown value(s) {string.Join(", ", unknown.Select(x => $"'{x}'"))}; use " +
                (what ?? $"one of {string.Join(", ", set.Order(StringComparer.Ordinal))}") + ".");
        }
        return v.Check(values.Distinct().Count() == values.Count, field, "Each value only once.");
    }

    /// <summary>An optional amount (price, budget) with its ISO 4217 currency.</summary>
    public static Validation Money(this Validation v, string field, decimal? amount, string? currency)
    {
        if (amount is not null)
        {
            v.Check(amount > 0 && amount < 1_000_000_000_000m && decimal.Round(amount.Value, 2) == amount.Value, field,
                    $"'{field}' is above 0, below 10^12, with at most two decimals.")
                .Check(currency is not null, "currency", $"'{field}' needs its ISO 4217 currency, e.g. CNY, USD, THB.");
        }
        return v.Check(currency is null || ListingReferenceData.Currencies.Contains(currency), "currency",
            $"Unknown currency '{currency}'; use an ISO 4217 code such as CNY, USD, VND, THB, LAK, KHR, MMK.");
    }

    public static Validation Contact(this Validation v, ContactInput? contact) =>
        contact is null
            ? v
            : v.Require("contact.name", contact.Name, 200)
                .Optional("contact.email", contact.Email, 254)
                .Optional("contact.phone", contact.Phone, 40)
                .Check(contact.Email is null || (contact.Email.IndexOf('@') is > 0 && contact.Email.IndexOf('@') < contact.Email.Length - 1),
                    "contact.email", "Not an e-mail address.");

    public static string[] CleanKeywords(IReadOnlyList<string>? keywords) =>
        (keywords ?? []).Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<LocalizedText> CleanTranslations(IReadOnlyList<TranslationInput>? translations) =>
        (translations ?? []).Select(t => new LocalizedText(t.Language!, t.Title!.Trim(), t.Summary!.Trim(), CleanKeywords(t.Keywords))).ToList();

    public static Contact? CleanContact(ContactInput? contact) =>
        contact is null ? null : new Contact(contact.Name!.Trim(), Trim(contact.Email), Trim(contact.Phone));

    public static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public sealed record TranslationInput(string? Language, string? Title, string? Summary, IReadOnlyList<string>? Keywords);

public sealed record ContactInput(string? Name, string? Email, string? Phone);

public sealed record Contact(string Name, string? Email, string? Phone);
