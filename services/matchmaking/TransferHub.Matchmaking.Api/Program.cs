using MassTransit;
using TransferHub.Matchmaking.Api;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPostgres(typeof(Program).Assembly);
// every consumer of this assembly: technology and need read models
builder.AddMessaging("matchmaking", bus => bus.AddConsumers(typeof(Program).Assembly));

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints("/api/matches");
app.MapTechnologyReadModelEndpoints();
app.MapNeedReadModelEndpoints();
app.Run();
