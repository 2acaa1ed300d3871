namespace TransferHub.Registration.Contracts;

/// <summary>The contract categories of technical-contract registration (DOMAIN.md); sub-categories are configuration.</summary>
public static class ContractCategories
{
    public const string Development = "development";
    public const string Transfer = "transfer";
    public const string Licensing = "licensing";
    public const string Consulting = "consulting";
    public const string Service = "service";

    /// <summary>
    /// Whether a registered contract takes the technology off the market: a transfer (assignment), or an exclusive
    /// licence (licensing sub-categories <c>patent-exclusive</c>, <c>secret-exclusive</c>).
    /// </summary>
    public static bool TakesOffMarket(string category, string? subCategory) =>
        category == Transfer || (category == Licensing && subCategory is not null && subCategory.EndsWith("-exclusive", StringComparison.Ordinal));
}

/// <summary>
/// A station registered a technical contract. <see cref="TechnologyId"/> is the listing the contract is about, when the
/// deal came through TransferHub (null for contracts registered without one). Amounts are exact decimals in
/// <see cref="Currency"/>; <see cref="TechnologyTransactionAmount"/> is the certified technology transaction amount.
/// </summary>
public sealed record ContractRegistered(
    Guid ContractId,
    int Version,
    string RegistrationNumber,
    string StationCode,
    string Category,
    string? SubCategory,
    Guid SellerOrganisationId,
    Guid? BuyerOrganisationId,
    Guid? TechnologyId,
    decimal ContractAmount,
    decimal TechnologyTransactionAmount,
    string Currency,
    DateTimeOffset RegisteredAt);

/// <summary>A complete submission reached its competent station; the decision clock runs until <see cref="DueOn"/>.</summary>
public sealed record ContractSubmitted(
    Guid ContractId,
    int Version,
    string StationCode,
    string Category,
    string SubCategory,
    Guid RegistrantOrganisationId,
    Guid? TechnologyId,
    decimal ContractAmount,
    string Currency,
    DateOnly DueOn,
    DateTimeOffset SubmittedAt);

/// <summary>
/// A station refused a submission with coded reasons (reference data); for a wrong jurisdiction
/// <see cref="CompetentStationCode"/> names the station that should have received it.
/// </summary>
public sealed record ContractRefused(
    Guid ContractId,
    int Version,
    string StationCode,
    Guid RegistrantOrganisationId,
    Guid? TechnologyId,
    IReadOnlyList<string> ReasonCodes,
    string? CompetentStationCode,
    DateTimeOffset RefusedAt);

/// <summary>
/// A change of a registered contract was registered against its original number: <see cref="Kind"/> is
/// <c>amendment</c> (numbered {original}-A1, -A2 …, with the amounts now in force) or <c>termination</c> ({original}-T;
/// the original certificate is revoked).
/// </summary>
public sealed record ContractAmended(
    Guid ContractId,
    int Version,
    string OriginalRegistrationNumber,
    string RegistrationNumber,
    string Kind,
    string StationCode,
    string Category,
    string SubCategory,
    Guid SellerOrganisationId,
    Guid? BuyerOrganisationId,
    Guid? TechnologyId,
    decimal ContractAmount,
    decimal TechnologyTransactionAmount,
    string Currency,
    string? Reason,
    DateTimeOffset RegisteredAt);
