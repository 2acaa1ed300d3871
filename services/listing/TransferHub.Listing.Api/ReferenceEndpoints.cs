using TransferHub.Listing.Contracts;

namespace TransferHub.Listing.Api;

public sealed record ListingReference(
    IReadOnlyList<string> Languages, IReadOnlyList<FieldOfTechnology> Fields, IReadOnlyList<string> Stages,
    IReadOnlyList<string> TransferModes, IReadOnlyList<string> IpTypes, IReadOnlyList<string> IpStatuses,
    IReadOnlyList<string> PricingModes, IReadOnlyList<string> Statuses, IReadOnlyList<string> Currencies, IReadOnlyList<string> Countries);

public static class ReferenceEndpoints
{
    private static readonly ListingReference reference = new(ContentLanguages.All, ListingReferenceData.Fields, ListingReferenceData.Stages,
        ListingReferenceData.TransferModes, ListingReferenceData.IpTypes, ListingReferenceData.IpStatuses, ListingReferenceData.PricingModes,
        ListingReferenceData.Statuses, ListingReferenceData.Currencies.Order(StringComparer.Ordinal).ToList(),
        ListingReferenceData.Countries.Order(StringComparer.Ordinal).ToList());

    public static WebApplication MapReferenceEndpoints(this WebApplication app)
    {
        app.MapGet("/api/listings/reference", () => TypedResults.Ok(reference)).AllowAnonymous().WithTags("Reference data")
            .WithSummary("The listing vocabulary: languages, fields, stages, transfer modes, IP types, pricing modes, currencies, countries.");
        return app;
    }
}
