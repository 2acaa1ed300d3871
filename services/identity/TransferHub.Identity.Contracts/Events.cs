namespace TransferHub.Identity.Contracts;

/// <summary>An organisation joined the platform (not yet verified by a platform admin).</summary>
public sealed record OrganisationRegistered(
    Guid OrganisationId,
    string Name,
    string Type,
    string Country,
    string? RegionCode,
    string? LegalPersonNature,
    DateTimeOffset RegisteredAt);

/// <summary>A platform admin verified the organisation.</summary>
public sealed record OrganisationVerified(Guid OrganisationId, Guid VerifiedBy, DateTimeOffset VerifiedAt);

public static class OrganisationTypes
{
    public const string Institution = "institution";
    public const string Company = "company";
    public const string RegistrationStation = "registration-station";
    public const string ServiceAgency = "service-agency";

    public static readonly IReadOnlyList<string> All = [Institution, Company, RegistrationStation, ServiceAgency];
}
