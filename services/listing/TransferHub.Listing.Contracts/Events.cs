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
    IReadOnlyList<string> TargetCountries,
    DateTimeOffset? PublishedAt = null);

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

/// <summary>The public part of a need, as events carry it. <see cref="Anonymous"/>: consumers must not show the company.</summary>
public sealed record NeedPublicData(
    string Title,
    string Summary,
    string Language,
    IReadOnlyList<string> Keywords,
    IReadOnlyList<LocalizedText> Translations,
    IReadOnlyList<string> Fields,
    int? TrlMin,
    decimal? Budget,
    string? Currency,
    DateOnly? Deadline,
    string Country,
    bool Anonymous,
    bool OpenCall,
    DateOnly? ClosesOn,
    DateTimeOffset? PublishedAt = null);

/// <summary>A moderator approved a company's need: it is public from now on.</summary>
public sealed record NeedPublished(Guid NeedId, Guid OrganisationId, int Version, NeedPublicData Need, DateTimeOffset PublishedAt);

/// <summary>A public need changed: its content, or its status (published ⇄ under-negotiation).</summary>
public sealed record NeedUpdated(Guid NeedId, Guid OrganisationId, int Version, string Status, NeedPublicData Need, DateTimeOffset UpdatedAt);

/// <summary>A public need left the market: <c>Reason</c> is "fulfilled", "withdrawn" or "expired".</summary>
public sealed record NeedClosed(Guid NeedId, Guid OrganisationId, int Version, string Reason, DateTimeOffset ClosedAt);

/// <summary>A need was published as an open call (揭榜挂帅): institutions may answer with proposals until <c>ClosesOn</c>.</summary>
public sealed record OpenCallPublished(Guid NeedId, Guid OrganisationId, int Version, string Title, string Language,
    IReadOnlyList<string> Fields, DateOnly ClosesOn, DateTimeOffset PublishedAt);

/// <summary>An organisation answered an open call. For the need's owner; carries no part of the proposal's approach.</summary>
public sealed record ProposalSubmitted(Guid ProposalId, Guid NeedId, Guid NeedOrganisationId, Guid ProposerOrganisationId, string Title,
    DateTimeOffset SubmittedAt);
