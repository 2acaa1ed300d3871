using TransferHub.Identity.Api;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPostgres(typeof(Program).Assembly);
builder.AddMessaging("identity");
builder.AddIdentityService();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints("/api/identity");
app.MapAccountEndpoints();
app.MapOrganisationEndpoints();
app.Run();
