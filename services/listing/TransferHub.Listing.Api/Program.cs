using TransferHub.Listing.Api;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPostgres(typeof(Program).Assembly);
builder.AddMessaging("listing");

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints("/api/listings");
app.MapTechnologyEndpoints();
app.Run();
