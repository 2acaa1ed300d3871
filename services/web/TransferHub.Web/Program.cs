using TransferHub.ServiceDefaults;
using TransferHub.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(validateTokens: false);
builder.AddPortal();

var app = builder.Build();
app.UseServiceDefaults();
app.UsePortal();
app.MapDefaultEndpoints("/");
app.MapPortal();
app.Run();
