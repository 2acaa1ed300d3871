using MassTransit;
using TransferHub.Listing.Api;
using TransferHub.Listing.Api.Attachments;
using TransferHub.Listing.Api.Import;
using TransferHub.Listing.Api.Needs;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Api.Search;
using TransferHub.Listing.Api.Technologies;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

if (args is ["reindex", ..])
{
    return await ReindexCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPostgres(typeof(Program).Assembly);
// consumers: ContractRegistered (deals), ConfidentialAccessGranted (NDA grants), listing's own events (search index)
builder.AddMessaging("listing", bus => bus.AddConsumers(typeof(Program).Assembly));
builder.AddListingPolicies();
builder.AddAttachments();
builder.AddSearchIndexes();
builder.Services.AddHostedService<ExpirySweeper>();
builder.Services.AddSingleton<ImportQueue>().AddHostedService<ImportWorker>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints("/api/listings");
app.MapReferenceEndpoints();
app.MapTechnologyEndpoints();
app.MapNeedEndpoints();
app.MapProposalEndpoints();
app.MapImportEndpoints();
app.MapSearchEndpoints();
app.Run();
return 0;
