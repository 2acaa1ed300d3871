using TransferHub.Messaging;
using TransferHub.Registration.Api;
using TransferHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPostgres(typeof(Program).Assembly);
builder.AddMessaging("registration");

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints("/api/registrations");
app.MapStationEndpoints();
app.Run();
