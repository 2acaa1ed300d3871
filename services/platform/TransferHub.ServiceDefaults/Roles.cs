namespace TransferHub.ServiceDefaults;

/// <summary>The platform's roles, as they appear in the access token's <c>role</c> claims and in policies.</summary>
public static class Roles
{
    public const string PlatformAdmin = "platform-admin";
    public const string InstitutionMember = "institution-member";
    public const string CompanyMember = "company-member";
    public const string StationOfficer = "station-officer";
    public const string Expert = "expert";

    public static readonly IReadOnlyList<string> All =
        [PlatformAdmin, InstitutionMember, CompanyMember, StationOfficer, Expert];
}

/// <summary>Claim types in TransferHub access tokens.</summary>
public static class TransferHubClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Name = "name";
    public const string Role = "role";
    public const string Organisation = "org";
    public const string OrganisationType = "org_type";
    public const string OrganisationName = "org_name";
    public const string OrganisationCountry = "org_country";

    /// <summary>China's administrative division code of the organisation's locality (6 digits), when it has one.</summary>
    public const string OrganisationRegion = "org_region";

    /// <summary>The legal-person nature code (e.g. 021 research institute, 022 university), when known.</summary>
    public const string OrganisationNature = "org_nature";

    /// <summary>"true" when a platform admin has verified the caller's (primary) organisation.</summary>
    public const string OrganisationVerified = "org_verified";
}
