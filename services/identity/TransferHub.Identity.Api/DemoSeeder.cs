using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using TransferHub.Identity.Contracts;
using TransferHub.ServiceDefaults;

namespace TransferHub.Identity.Api;

/// <summary>
/// A demo account from <c>seeds/demo-accounts.json</c> (one per role, each in its own organisation) or
/// <c>seeds/demo-station-officers.json</c> (an officer for each of the other 19 registration stations).
/// </summary>
public sealed record DemoAccount(string Role, string Email, string Password, string Organisation, string? OrganisationType,
    string? Country, string? RegionCode, string? LegalPersonNature);

/// <summary>
/// Creates the demo organisations and accounts (verified) when <c>Seed:DemoData</c> is true — never in a production
/// configuration. Idempotent: existing accounts are left as they are.
/// </summary>
internal sealed class DemoSeeder(IConfiguration configuration, NpgsqlDataSource dataSource, IPasswordHasher<UserAccount> hasher,
    ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var file = configuration["Seed:DemoAccountsFile"];
        if (string.IsNullOrWhiteSpace(file) || !File.Exists(file))
        {
            throw new InvalidOperationException($"Seed:DemoData is on but Seed:DemoAccountsFile '{file}' is missing; point it at seeds/demo-accounts.json.");
        }
        var accounts = JsonSerializer.Deserialize<List<DemoAccount>>(await File.ReadAllTextAsync(file, cancellationToken), JsonDefaults.Web) ?? [];
        // optional: one officer for every other registration station (seeds/demo-station-officers.json)
        if (configuration["Seed:DemoStationOfficersFile"] is { Length: > 0 } officers && File.Exists(officers))
        {
            accounts.AddRange(JsonSerializer.Deserialize<List<DemoAccount>>(await File.ReadAllTextAsync(officers, cancellationToken), JsonDefaults.Web) ?? []);
        }
        var created = 0;
        foreach (var (account, index) in accounts.Select((a, i) => (a, i)))
        {
            var type = account.OrganisationType ?? DefaultType(account.Role);
            var result = await OrganisationEndpoints.CreateAsync(dataSource, hasher,
                new OrganisationEndpoints.NewOrganisation(account.Organisation, type, account.Country ?? "CN", account.RegionCode, account.LegalPersonNature, Verified: true),
                new OrganisationEndpoints.NewUser(account.Email, account.Email.Split('@')[0], account.Password, account.Role), cancellationToken);
            created += result is null ? 0 : 1;
            logger.LogInformation("Demo accounts {Done}/{Total}: {Email} ({Role}) {State}", index + 1, accounts.Count, account.Email, account.Role,
                result is null ? "already present" : "created");
        }
        logger.LogInformation("Demo accounts ready: {Created} created, {Existing} already present", created, accounts.Count - created);
    }

    private static string DefaultType(string role) => role switch
    {
        Roles.CompanyMember => OrganisationTypes.Company,
        Roles.StationOfficer => OrganisationTypes.RegistrationStation,
        Roles.PlatformAdmin => OrganisationTypes.ServiceAgency,
        _ => OrganisationTypes.Institution,
    };

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
