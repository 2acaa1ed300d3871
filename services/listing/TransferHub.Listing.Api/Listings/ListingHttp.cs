using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Listings;

/// <summary>Who changed a listing: a user of an organisation, or the system (expiry).</summary>
internal sealed record Actor(Guid? UserId, Guid? OrganisationId)
{
    public static readonly Actor System = new(null, null);

    public static Actor Of(ClaimsPrincipal user) => new(user.UserId(), user.OrganisationId());
}

/// <summary>The listing-specific HTTP helpers (the shared ones are <see cref="HttpConventions"/>).</summary>
internal static class ListingHttp
{
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static bool IsOwner(Guid organisationId, ClaimsPrincipal user) =>
        user.OrganisationId() is { } organisation && organisation == organisationId;

    public static ProblemHttpResult NotYours(string noun, string action) =>
        HttpConventions.Forbidden($"Not your organisation's {noun}.", $"Only members of the owning organisation may {action} it.");
}
