using System.Text.Json;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Technologies;

public sealed record IpRecordInput(string? Type, string? Number, string? Office, string? Status, DateOnly? Expiry);

public sealed record OwnerInput(string? Name, Guid? OrganisationId, decimal? Share);

/// <summary>What an owner writes, on create and on update (an update replaces the whole technology).</summary>
public sealed record TechnologyInput(
    string? Title,
    string? Summary,
    string? Language,
    IReadOnlyList<string>? Keywords,
    IReadOnlyList<TranslationInput>? Translations,
    IReadOnlyList<string>? Fields,
    int? Trl,
    string? Stage,
    IReadOnlyList<IpRecordInput>? IpRecords,
    IReadOnlyList<OwnerInput>? Owners,
    IReadOnlyList<string>? TransferModes,
    string? PricingMode,
    decimal? Price,
    string? Currency,
    IReadOnlyList<string>? TargetCountries,
    ContactInput? Contact,
    DateOnly? ExpiresOn,
    string? ConfidentialDetail);

public sealed record IpRecord(string Type, string? Number, string? Office, string Status, DateOnly? Expiry);

public sealed record Owner(string Name, Guid? OrganisationId, decimal Share);

/// <summary>A technology as its owner's organisation sees it (<see cref="ConfidentialDetail"/> only for those allowed).</summary>
public sealed record TechnologyView(
    Guid Id, Guid OrganisationId, string Status, int Version,
    string Title, string Summary, string Language, IReadOnlyList<string> Keywords, IReadOnlyList<LocalizedText> Translations,
    IReadOnlyList<string> Fields, int? Trl, string? Stage, IReadOnlyList<IpRecord> IpRecords, IReadOnlyList<Owner> Owners,
    IReadOnlyList<string> TransferModes, string PricingMode, decimal? Price, string? Currency, IReadOnlyList<string> TargetCountries,
    Contact? Contact, DateOnly? ExpiresOn, string? ReturnReasons,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? PublishedAt, DateTimeOffset? ClosedAt,
    int DealsCount, string? ConfidentialDetail) : IListing;

/// <summary>A technology as the public sees it: no confidential detail, no owners' shares, no contact, no moderation notes.</summary>
public sealed record PublicTechnologyView(
    Guid Id, Guid OrganisationId, string Status, int Version,
    string Title, string Summary, string Language, IReadOnlyList<string> Keywords, IReadOnlyList<LocalizedText> Translations,
    IReadOnlyList<string> Fields, int? Trl, string? Stage, IReadOnlyList<IpRecord> IpRecords,
    IReadOnlyList<string> TransferModes, string PricingMode, decimal? Price, string? Currency, IReadOnlyList<string> TargetCountries,
    DateOnly? ExpiresOn, DateTimeOffset? PublishedAt, DateTimeOffset? ClosedAt, int DealsCount)
{
    public static PublicTechnologyView From(TechnologyView t) => new(t.Id, t.OrganisationId, t.Status, t.Version, t.Title, t.Summary,
        t.Language, t.Keywords, t.Translations, t.Fields, t.Trl, t.Stage, t.IpRecords, t.TransferModes, t.PricingMode, t.Price,
        t.Currency, t.TargetCountries, t.ExpiresOn, t.PublishedAt, t.ClosedAt, t.DealsCount);
}

/// <summary>The row as Dapper reads it (jsonb as text).</summary>
internal sealed record TechnologyRow(
    Guid Id, Guid OrganisationId, string Status, int Version, string Title, string Summary, string Language, string[] Keywords,
    string Translations, string[] Fields, int? Trl, string? Stage, string IpRecords, string Owners, string[] TransferModes,
    string PricingMode, decimal? Price, string? Currency, string[] TargetCountries, string? Contact, DateOnly? ExpiresOn,
    string? ReturnReasons, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? PublishedAt,
    DateTimeOffset? ClosedAt, int DealsCount, string? ConfidentialDetail)
{
    public const string Columns = """
        id AS Id, organisation_id AS OrganisationId, status AS Status, version AS Version, title AS Title, summary AS Summary,
        language AS Language, keywords AS Keywords, translations::text AS Translations, fields AS Fields, trl AS Trl, stage AS Stage,
        ip_records::text AS IpRecords, owners::text AS Owners, transfer_modes AS TransferModes, pricing_mode AS PricingMode,
        price AS Price, currency AS Currency, target_countries AS TargetCountries, contact::text AS Contact,
        expires_on AS ExpiresOn, return_reasons AS ReturnReasons, created_at AS CreatedAt, updated_at AS UpdatedAt,
        submitted_at AS SubmittedAt, published_at AS PublishedAt, closed_at AS ClosedAt, deals_count AS DealsCount,
        confidential_detail AS ConfidentialDetail
        """;

    public TechnologyView ToView() => new(Id, OrganisationId, Status, Version, Title, Summary, Language, Keywords,
        Json<List<LocalizedText>>(Translations), Fields, Trl, Stage, Json<List<IpRecord>>(IpRecords), Json<List<Owner>>(Owners),
        TransferModes, PricingMode, Price, Currency, TargetCountries, Contact is null ? null : Json<Contact>(Contact),
        ExpiresOn, ReturnReasons, CreatedAt, UpdatedAt, SubmittedAt,
        PublishedAt, ClosedAt, DealsCount, ConfidentialDetail);

    private static T Json<T>(string json) => JsonSerializer.Deserialize<T>(json, JsonDefaults.Web)!;
}
