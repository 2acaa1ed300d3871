using TransferHub.Listing.Api.Import;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Api.Needs;
using TransferHub.Listing.Api.Search;
using TransferHub.Listing.Api.Technologies;

namespace TransferHub.Listing.Api;

/// <summary>The listing service's own parts (background work and endpoints), so Program.cs stays the outline.</summary>
public static class ListingApi
{
    /// <summary>Expiry of listings by date, and the queue and worker of bulk imports.</summary>
    public static IHostApplicationBuilder AddListingWorkers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ExpirySweeper>();
        builder.Services.AddSingleton<ImportQueue>().AddHostedService<ImportWorker>();
        return builder;
    }

    /// <summary>Reference data, technologies, needs and open calls, proposals, imports and search.</summary>
    public static WebApplication MapListingEndpoints(this WebApplication app)
    {
        app.MapReferenceEndpoints();
        app.MapTechnologyEndpoints();
        app.MapNeedEndpoints();
        app.MapProposalEndpoints();
        app.MapImportEndpoints();
        app.MapSearchEndpoints();
        app.MapSearchRebuildEndpoints();
        return app;
    }
}
