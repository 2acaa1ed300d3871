using System.Security.Claims;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api;

/// <summary>Who may publish and who moderates listings.</summary>
public static class ListingPolicies
{
    /// <summary>Members of institutions and companies: both post technologies, companies post needs.</summary>
    public const string Publisher = "listing-publisher";

    /// <summary>Company members: companies post needs and open calls.</summary>
    public const string NeedPublisher = "listing-need-publisher";

    /// <summary>Platform admins, and members of a verified service agency.</summary>
    public const string Moderator = "listing-moderator";

    public static bool IsModerator(ClaimsPrincipal user) =>
        user.IsInRole(Roles.PlatformAdmin) ||
        (user.OrganisationType() == "service-agency" && user.OrganisationVerified() && user.Identity?.IsAuthenticated == true);

    public static IHostApplicationBuilder AddListingPolicies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Publisher, p => p.RequireAuthenticatedUser().RequireRole(Roles.InstitutionMember, Roles.CompanyMember))
            .AddPolicy(NeedPublisher, p => p.RequireAuthenticatedUser().RequireRole(Roles.CompanyMember))
            .AddPolicy(Moderator, p => p.RequireAuthenticatedUser().RequireAssertion(c => IsModerator(c.User)));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
