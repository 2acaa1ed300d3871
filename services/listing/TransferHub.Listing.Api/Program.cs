using MassTransit;
using TransferHub.Listing.Api;
using TransferHub.Listing.Api.Attachments;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Api.Search;
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
builder.AddListingWorkers();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints("/api/listings");
app.MapListingEndpoints();
app.Run();
return 0;
