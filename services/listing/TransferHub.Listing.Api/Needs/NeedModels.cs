using System.Text.Json;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Needs;

/// <summary>What a company writes, on create and on update (an update replaces the whole need).</summary>
public sealed record NeedInput(
    string? Title,
    string? Summary,
    string? Language,
    IReadOnlyList<string>? Keywords,
    IReadOnlyList<TranslationInput>? Translations,
    IReadOnlyList<string>? Fields,
    int? TrlMin,
    decimal? Budget,
    string? Currency,
    DateOnly? Deadline,
    string? Country,
    bool? Anonymous,
    bool? OpenCall,
    DateOnly? ClosesOn,
    ContactInput? Contact,
    string? ConfidentialDetail);

/// <summary>A need as its company sees it (<see cref="ConfidentialDetail"/> only for the company).</summary>
public sealed record NeedView(
    Guid Id, Guid OrganisationId, string Status, int Version,
    string Title, string Summary, string Language, IReadOnlyList<string> Keywords, IReadOnlyList<LocalizedText> Translations,
    IReadOnlyList<string> Fields, int? TrlMin, decimal? Budget, string? Currency, DateOnly? Deadline, string Country, bool Anonymous,
    bool OpenCall, DateOnly? ClosesOn, Contact? Contact, string? ReturnReasons,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? PublishedAt, DateTimeOffset? ClosedAt,
    string? ConfidentialDetail) : IListing;

/// <summary>A need as the public sees it: no confidential detail, no contact; no organisation when the company chose to stay anonymous.</summary>
public sealed record PublicNeedView(
    Guid Id, Guid? OrganisationId, string Status, int Version,
    string Title, string Summary, string Language, IReadOnlyList<string> Keywords, IReadOnlyList<LocalizedText> Translations,
    IReadOnlyList<string> Fields, int? TrlMin, decimal? Budget, string? Currency, DateOnly? Deadline, string Country, bool Anonymous,
    bool OpenCall, DateOnly? ClosesOn, DateTimeOffset? PublishedAt, DateTimeOffset? ClosedAt)
{
    public static PublicNeedView From(NeedView n) => new(n.Id, n.Anonymous ? null : n.OrganisationId, n.Status, n.Version, n.Title,
        n.Summary, n.Language, n.Keywords, n.Translations, n.Fields, n.TrlMin, n.Budget, n.Currency, n.Deadline, n.Country, n.Anonymous,
        n.OpenCall, n.ClosesOn, n.PublishedAt, n.ClosedAt);
}

internal sealed record NeedRow(
    Guid Id, Guid OrganisationId, string Status, int Version, string Title, string Summary, string Language, string[] Keywords,
    string Translations, string[] Fields, int? TrlMin, decimal? Budget, string? Currency, DateOnly? Deadline, string Country,
    bool Anonymous, bool OpenCall, DateOnly? ClosesOn, string? Contact, string? ReturnReasons, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? PublishedAt, DateTimeOffset? ClosedAt, string? ConfidentialDetail)
{
    public const string Columns = """
        id AS Id, organisation_id AS OrganisationId, status AS Status, version AS Version, title AS Title, summary AS Summary,
        language AS Language, keywords AS Keywords, translations::text AS Translations, fields AS Fields, trl_min AS TrlMin,
        budget AS Budget, currency AS Currency, deadline AS Deadline, country AS Country, anonymous AS Anonymous,
        open_call AS OpenCall, closes_on AS ClosesOn, contact::text AS Contact, return_reasons AS ReturnReasons,
        created_at AS CreatedAt, updated_at AS UpdatedAt, submitted_at AS SubmittedAt, published_at AS PublishedAt,
        closed_at AS ClosedAt, confidential_detail AS ConfidentialDetail
        """;

    public NeedView ToView() => new(Id, OrganisationId, Status, Version, Title, Summary, Language, Keywords,
        JsonSerializer.Deserialize<List<LocalizedText>>(Translations, JsonDefaults.Web)!, Fields, TrlMin, Budget, Currency, Deadline,
        Country, Anonymous, OpenCall, ClosesOn, Contact is null ? null : JsonSerializer.Deserialize<Contact>(Contact, JsonDefaults.Web),
        ReturnReasons, CreatedAt, UpdatedAt, SubmittedAt, PublishedAt, ClosedAt, ConfidentialDetail);
}

internal sealed record NormalisedNeed(
    string Title, string Summary, string Language, string[] Keywords, IReadOnlyList<LocalizedText> Translations, string[] Fields,
    int? TrlMin, decimal? Budget, string? Currency, DateOnly? Deadline, string Country, bool Anonymous, bool OpenCall, DateOnly? ClosesOn,
    Contact? Contact, string? ConfidentialDetail);

internal static class NeedValidation
{
    public static Validation Validate(NeedInput input, DateOnly today)
    {
        var v = new Validation()
            .PublicText(input.Title, input.Summary, input.Language, input.Keywords, input.Translations)
            .Optional("confidentialDetail", input.ConfidentialDetail, 50_000)
            .Codes("fields", input.Fields, ListingReferenceData.FieldCodes, max: 5)
            .Check(input.TrlMin is null or (>= 1 and <= 9), "trlMin", "TRL is 1 to 9.")
            .Money("budget", input.Budget, input.Currency)
            .Require("country", input.Country, 2)
            .Contact(input.Contact)
            .Check(input.Deadline is null || input.Deadline > today, "deadline", "The deadline must be in the future.");
        if (input.Country is { Length: 2 } && !ListingReferenceData.Countries.Contains(input.Country))
        {
            v.Add("country", $"Unknown country '{input.Country}'; use an ISO 3166-1 alpha-2 code such as CN, LA, TH, VN, MM, KH.");
        }
        if (input.OpenCall == true)
        {
            v.Check(input.ClosesOn is not null, "closesOn", "An open call needs the date it closes for proposals.")
                .Check(input.ClosesOn is null || input.ClosesOn > today, "closesOn", "An open call must close in the future.")
                .Check(input.ClosesOn is null || input.Deadline is null || input.ClosesOn <= input.Deadline, "closesOn",
                    "An open call closes on or before the need's deadline.");
        }
        else
        {
            v.Check(input.ClosesOn is null, "closesOn", "Only an open call (openCall: true) has a closing date.");
        }
        return v;
    }

    public static Validation ValidateForSubmission(NeedView n) => new Validation()
        .Check(n.Fields.Count > 0, "fields", "Choose at least one field of technology before submitting.")
        .Check(n.OpenCall == false || n.ClosesOn is null || n.ClosesOn > DateOnly.FromDateTime(DateTime.UtcNow), "closesOn",
            "The open call's closing date has passed; move it before submitting.");

    public static NormalisedNeed Normalise(NeedInput input) => new(
        input.Title!.Trim(), input.Summary!.Trim(), input.Language!, ListingValidation.CleanKeywords(input.Keywords),
        ListingValidation.CleanTranslations(input.Translations), (input.Fields ?? []).ToArray(), input.TrlMin, input.Budget, input.Currency,
        input.Deadline, input.Country!, input.Anonymous ?? false, input.OpenCall ?? false, input.ClosesOn,
        ListingValidation.CleanContact(input.Contact), input.ConfidentialDetail);
}
