using MassTransit;
using TransferHub.Messaging;
using TransferHub.Registration.Api;
using TransferHub.Registration.Api.Submissions;
using TransferHub.ServiceDefaults;

if (args is ["verify-audit", ..])
{
    return await AuditChain.VerifyCommandAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPostgres(typeof(Program).Assembly);
// consumers: OrganisationRegistered/Verified (station staffing), DealAgreed (prefilled drafts), ExpertProfileUpdated/AvailabilityChanged
builder.AddMessaging("registration", bus => bus.AddConsumers(typeof(Program).Assembly));
builder.AddRegistration();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints("/api/registrations");
app.MapStationEndpoints();
app.MapSubmissionEndpoints();
app.MapDeskEndpoints();
app.MapCertificateEndpoints();
app.MapStatisticsEndpoints();
app.MapExpertSelectionEndpoints();
app.MapDocumentEndpoints();
await app.RunAsync();
return 0;
