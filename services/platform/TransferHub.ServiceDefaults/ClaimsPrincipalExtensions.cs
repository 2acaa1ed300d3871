using System.Security.Claims;

namespace TransferHub.ServiceDefaults;

public static class ClaimsPrincipalExtensions
{
    public static Guid? UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(TransferHubClaims.Subject), out var id) ? id : null;

    public static Guid? OrganisationId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(TransferHubClaims.Organisation), out var id) ? id : null;

    public static string? OrganisationType(this ClaimsPrincipal user) => user.FindFirstValue(TransferHubClaims.OrganisationType);

    public static bool OrganisationVerified(this ClaimsPrincipal user) => user.FindFirstValue(TransferHubClaims.OrganisationVerified) == "true";

    public static string? OrganisationName(this ClaimsPrincipal user) => user.FindFirstValue(TransferHubClaims.OrganisationName);

    public static string? OrganisationCountry(this ClaimsPrincipal user) => user.FindFirstValue(TransferHubClaims.OrganisationCountry);

    public static string? OrganisationRegion(this ClaimsPrincipal user) => user.FindFirstValue(TransferHubClaims.OrganisationRegion);

    public static string? OrganisationNature(this ClaimsPrincipal user) => user.FindFirstValue(TransferHubClaims.OrganisationNature);
}
