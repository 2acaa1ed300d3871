using MassTransit;
using TransferHub.Listing.Api;
using TransferHub.Listing.Api.Attachments;
using TransferHub.Listing.Api.Import;
using TransferHub.Listing.Api.Needs;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Api.Technologies;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPostgres(typeof(Program).Assembly);
// consumers: ContractRegistered (deals) and ConfidentialAccessGranted (NDA grants)
builder.AddMessaging("listing", bus => bus.AddConsumers(typeof(Program).Assembly));
builder.AddListingPolicies();
builder.AddAttachments();
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
app.Run();
