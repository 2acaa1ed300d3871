using System.Text.Json;

namespace TransferHub.Registration.Api.Submissions;

/// <summary>Another party of the contract. <see cref="Provider"/> marks the party that provides the technology.</summary>
public sealed record PartyInput(string? Name, string? OrganisationCode, string? Country, string? RegionCode, string? LegalPersonNature,
    bool Provider, Guid? OrganisationId);

/// <summary>A declared non-technical cost: carrier-equipment, equipment, raw-materials, construction or other.</summary>
public sealed record CostInput(string? Kind, string? Description, decimal Amount, int? Sets);

public sealed record IpInput(string? Type, string? Number);


/// <summary>
/// A contract submitted for certification and registration by the organisation that registers it: the provider of the
/// technology (<c>ourRole: provider</c>), or the domestic recipient of a technology import (<c>ourRole: recipient</c>).
/// <see cref="StationCode"/> is optional: without it the submission goes to the competent station.
/// </summary>
public sealed record SubmissionInput(
    string? Title,
    string? Category,
    string? SubCategory,
    string? OurRole,
    IReadOnlyList<PartyInput>? Parties,
    decimal? ContractAmount,
    string? Currency,
    IReadOnlyList<CostInput>? Costs,
    string? Field,
    IReadOnlyList<IpInput>? Ip,
    string? ContractLanguage,
    DateOnly? SignedOn,
    Guid? TechnologyId,
    string? StationCode);

public sealed record Party(string Name, string? OrganisationCode, string Country, string? RegionCode, string? LegalPersonNature, bool Provider,
    Guid? OrganisationId);

public sealed record Cost(string Kind, string Description, decimal Amount, int Sets);

public sealed record IpRecord(string Type, string? Number);

/// <summary>
/// An uploaded contract text: <c>contract</c> (the signed text), <c>chinese-text</c> (for a foreign-language contract) or
/// <c>annex</c>; the bytes are in the file store under <see cref="Sha256"/>.
/// </summary>
public sealed record Document(Guid Id, string Kind, string Language, string FileName, string ContentType, long SizeBytes, string Sha256,
    DateTimeOffset UploadedAt);

/// <summary>The validated, normalised content of a submission.</summary>
public sealed record SubmissionContent(
    string Title,
    string Category,
    string SubCategory,
    string OurRole,
    IReadOnlyList<Party> Parties,
    decimal ContractAmount,
    string Currency,
    IReadOnlyList<Cost> Costs,
    string Field,
    IReadOnlyList<IpRecord> Ip,
    string ContractLanguage,
    IReadOnlyList<Document> Documents,
    DateOnly SignedOn,
    Guid? TechnologyId,
    string? StationCode);

public sealed record ClockView(string Phase, DateOnly? DueOn, DateOnly? ExpertReviewDueOn, bool Overdue, bool ExpertReviewRequired);

public sealed record RegistrantView(Guid Id, string? Name, string? Country, string? RegionCode, string? LegalPersonNature);

public sealed record SubmissionView(
    Guid Id,
    int Version,
    string Status,
    RegistrantView Registrant,
    string Title,
    string Category,
    string SubCategory,
    string OurRole,
    IReadOnlyList<Party> Parties,
    decimal ContractAmount,
    string Currency,
    IReadOnlyList<Cost> Costs,
    string Field,
    IReadOnlyList<IpRecord> Ip,
    string ContractLanguage,
    IReadOnlyList<Document> Documents,
    DateOnly SignedOn,
    Guid? TechnologyId,
    string? RequestedStation,
    string? StationCode,
    string? CompetentStation,
    ClockView Clock,
    IReadOnlyList<string>? SupplementReasons,
    Guid? ClaimedBy,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? DecidedAt,
    JsonElement? Decision,
    string? RegistrationNumber,
    string Kind,
    string? AmendsNumber,
    string? ChangeReason,
    Guid? DealId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A line of the station queue.</summary>
public sealed record QueueItem(Guid Id, string Title, string Status, string Category, string SubCategory, Guid RegistrantId, string? RegistrantName,
    decimal ContractAmount, string Currency, DateTimeOffset? SubmittedAt, DateOnly? DueOn, DateOnly? ExpertReviewDueOn, bool Overdue, string Phase,
    bool ExpertReviewRequired, bool Misrouted, string? CompetentStation, Guid? ClaimedBy);

public sealed record SupplementRequest(IReadOnlyList<string>? Reasons);

/// <summary>
/// The station's decision to register. Category and sub-category default to the submitted ones; <see cref="Costs"/>
/// replaces the declared non-technical costs when the station finds others; <see cref="ExchangeRate"/> is required when the
/// contract is not in CNY (1 unit of the contract currency = rate CNY on that date).
/// </summary>
public sealed record RegisterDecision(string? Category, string? SubCategory, IReadOnlyList<CostInput>? Costs, ExchangeRateInput? ExchangeRate, string? Note);

public sealed record ExchangeRateInput(decimal Rate, DateOnly? Date);

public sealed record RefuseDecision(IReadOnlyList<string>? ReasonCodes, string? Detail);

/// <summary>
/// Starts expert review. <see cref="ExpertIds"/> names the reviewers from <c>expert-candidates</c>: each must be known,
/// available and free of conflicts; while the directory has eligible experts at least one must be named.
/// </summary>
public sealed record ExpertReviewStart(bool Disputed, string? Note, IReadOnlyList<Guid>? ExpertIds);

public sealed record ExpertReviewEnd(string? Opinion);

public sealed record StationBinding(Guid? OrganisationId);

/// <summary>An amendment of a registered contract: why, and the contract as amended.</summary>
public sealed record AmendmentInput(string? Reason, SubmissionInput? Amended);

/// <summary>A termination of a registered contract: why, and from when.</summary>
public sealed record TerminationInput(string? Reason, DateOnly? TerminatedOn);
