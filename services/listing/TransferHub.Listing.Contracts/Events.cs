namespace TransferHub.Listing.Contracts;

// Listing's integration events. Every event carries the technology's Version, which grows with every change, so a
// consumer ignores an event older than what it holds. None of them ever carries the confidential detail.

/// <summary>A title, summary and keywords in one language (the original or a translation).</summary>
public sealed record LocalizedText(string Language, string Title, string Summary, IReadOnlyList<string> Keywords);

/// <summary>The public part of a technology, as events carry it.</summary>
public sealed record TechnologyPublicData(
    string Title,
    string Summary,
    string Language,
    IReadOnlyList<string> Keywords,
    IReadOnlyList<LocalizedText> Translations,
    IReadOnlyList<string> Fields,
    int? Trl,
    string? Stage,
    IReadOnlyList<string> IpTypes,
    IReadOnlyList<string> TransferModes,
    string PricingMode,
    decimal? Price,
    string? Currency,
    IReadOnlyList<string> TargetCountries);

/// <summary>A moderator approved the technology: it is public from now on.</summary>
public sealed record TechnologyPublished(
    Guid TechnologyId, Guid OrganisationId, int Version, TechnologyPublicData Technology, DateTimeOffset PublishedAt);

/// <summary>A public technology changed: its content, or its status (published ⇄ under-negotiation).</summary>
public sealed record TechnologyUpdated(
    Guid TechnologyId, Guid OrganisationId, int Version, string Status, TechnologyPublicData Technology, DateTimeOffset UpdatedAt);

/// <summary>A public technology left the market: withdrawn by its owner (<c>Reason = "withdrawn"</c>) or expired (<c>"expired"</c>).</summary>
public sealed record TechnologyWithdrawn(Guid TechnologyId, Guid OrganisationId, int Version, string Reason, DateTimeOffset WithdrawnAt);

/// <summary>The technology was transferred (deal done): no longer offered.</summary>
public sealed record TechnologyTransferred(Guid TechnologyId, Guid OrganisationId, int Version, DateTimeOffset TransferredAt);
