namespace TransferHub.Registration.Contracts;

/// <summary>The contract categories of technical-contract registration (DOMAIN.md); sub-categories are configuration.</summary>
public static class ContractCategories
{
    public const string Development = "development";
    public const string Transfer = "transfer";
    public const string Licensing = "licensing";
    public const string Consulting = "consulting";
    public const string Service = "service";

    /// <summary>The licensing sub-category that takes a technology off the market like a transfer does.</summary>
    public const string ExclusiveLicence = "exclusive-licence";
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
