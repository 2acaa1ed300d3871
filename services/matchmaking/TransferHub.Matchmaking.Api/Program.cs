using TransferHub.Matchmaking.Api;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPostgres(typeof(Program).Assembly);
builder.AddMessaging("matchmaking", bus =>
{
    bus.AddConsumer<TechnologyPublishedConsumer>();
    bus.AddConsumer<TechnologyUpdatedConsumer>();
    bus.AddConsumer<TechnologyWithdrawnConsumer>();
    bus.AddConsumer<TechnologyTransferredConsumer>();
});

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints("/api/matches");
app.MapTechnologyReadModelEndpoints();
app.Run();
