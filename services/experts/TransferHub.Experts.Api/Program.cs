using TransferHub.Experts.Api;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPostgres(typeof(Program).Assembly);
builder.AddMessaging("experts");

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints("/api/experts");
app.MapExpertEndpoints();
app.Run();
