using System.Security.Cryptography;

namespace TransferHub.Testing;

/// <summary>
/// The whole TransferHub stack as real processes — identity, listing, matchmaking, registration, experts, web and the
/// gateway — over the test PostgreSQL (own databases) and RabbitMQ (own virtual host), with the demo accounts seeded.
/// </summary>
public sealed class Stack : IAsyncDisposable
{
    private static readonly (string Name, string Project, string? Database)[] services =
    [
        ("identity", "services/identity/TransferHub.Identity.Api", "identity"),
        ("listing", "services/listing/TransferHub.Listing.Api", "listing"),
        ("matchmaking", "services/matchmaking/TransferHub.Matchmaking.Api", "matchmaking"),
        ("registration", "services/registration/TransferHub.Registration.Api", "registration"),
        ("experts", "services/experts/TransferHub.Experts.Api", "experts"),
        ("web", "services/web/TransferHub.Web", null),
    ];

    private readonly Dictionary<string, ServiceProcess> processes = [];
    private readonly string keyDirectory;
    private int gatewayPort;

    private Stack(TestInfrastructure infrastructure, string suffix, string keyDirectory)
    {
        Infrastructure = infrastructure;
        Suffix = suffix;
        this.keyDirectory = keyDirectory;
        LogDirectory = RepoPaths.Combine(".run", "test", "logs", suffix);
    }

    public TestInfrastructure Infrastructure { get; }
    public string Suffix { get; }
    public string LogDirectory { get; }
    public string VirtualHost => "th-" + Suffix;
    public ServiceProcess Gateway => processes["gateway"];
    public ServiceProcess this[string name] => processes[name];
    public string DatabaseName(string service) => $"th_{service}_{Suffix}";

    /// <summary>The listing service's attachment size limit in tests (small, so the oversize test stays cheap).</summary>
    public const long AttachmentMaxBytes = 256 * 1024;

    /// <summary>Where the listing service of this stack stores attachment files.</summary>
    public string AttachmentRoot => Path.Combine(keyDirectory, "attachments");

    public static async Task<Stack> StartAsync(IDictionary<string, string>? gatewaySettings = null)
    {
        var infrastructure = await TestInfrastructure.GetAsync();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var keys = Path.Combine(Path.GetTempPath(), "th-keys-" + suffix);
        Directory.CreateDirectory(keys);
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(Path.Combine(keys, "jwt-private.pem"), ecdsa.ExportPkcs8PrivateKeyPem());
            await File.WriteAllTextAsync(Path.Combine(keys, "jwt-public.pem"), ecdsa.ExportSubjectPublicKeyInfoPem());
        }
        var stack = new Stack(infrastructure, suffix, keys);
        await infrastructure.CreateVirtualHostAsync(stack.VirtualHost);
        try
        {
            // the gateway's port is chosen first: the portal (web) calls the services through it
            stack.gatewayPort = ServiceProcess.FreePort();
            foreach (var (name, project, database) in services)
            {
                stack.processes[name] = new ServiceProcess(name, project, ServiceProcess.FreePort(), stack.Settings(name, database), stack.LogDirectory);
            }
            var gateway = stack.Settings("gateway", null);
            foreach (var (name, _, _) in services)
            {
                gateway[$"ReverseProxy__Clusters__{ClusterOf(name)}__Destinations__primary__Address"] = stack.processes[name].BaseAddress.ToString();
            }
            foreach (var (key, value) in gatewaySettings ?? new Dictionary<string, string>())
            {
                gateway[key] = value;
            }
            stack.processes["gateway"] = new ServiceProcess("gateway", "gateway/TransferHub.Gateway", stack.gatewayPort, gateway, stack.LogDirectory);
            foreach (var process in stack.processes.Values)
            {
                process.Start();
            }
            await Task.WhenAll(stack.processes.Values.Select(p => p.WaitUntilReadyAsync(TimeSpan.FromSeconds(120))));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>A second gateway over the same services, e.g. with other rate limits.</summary>
    public async Task<ServiceProcess> StartExtraGatewayAsync(IDictionary<string, string> settings)
    {
        var gateway = Settings("gateway", null);
        foreach (var (name, _, _) in services)
        {
            gateway[$"ReverseProxy__Clusters__{ClusterOf(name)}__Destinations__primary__Address"] = processes[name].BaseAddress.ToString();
        }
        foreach (var (key, value) in settings)
        {
            gateway[key] = value;
        }
        var process = new ServiceProcess("gateway-extra", "gateway/TransferHub.Gateway", ServiceProcess.FreePort(), gateway, LogDirectory);
        processes["gateway-extra-" + process.Port] = process;
        process.Start();
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    private static string ClusterOf(string service) => service;

    private Dictionary<string, string> Settings(string service, string? database)
    {
        var settings = new Dictionary<string, string>
        {
            ["Auth__Issuer"] = "transferhub-identity",
            ["Auth__Audience"] = "transferhub",
            ["Auth__PublicKeyFile"] = Path.Combine(keyDirectory, "jwt-public.pem"),
            ["RabbitMQ__Host"] = Infrastructure.RabbitHost,
            ["RabbitMQ__Port"] = Infrastructure.RabbitPort.ToString(),
            ["RabbitMQ__Username"] = Infrastructure.RabbitUser,
            ["RabbitMQ__Password"] = Infrastructure.RabbitPassword,
            ["RabbitMQ__VirtualHost"] = VirtualHost,
            // many logins from one loopback address in a test run
            ["RateLimiting__LoginPermitLimit"] = "10000",
            ["RateLimiting__PermitLimit"] = "100000",
        };
        if (database is not null)
        {
            settings["ConnectionStrings__Database"] = Infrastructure.Database(DatabaseName(database));
        }
        if (service == "identity")
        {
            settings["Auth__SigningKeyFile"] = Path.Combine(keyDirectory, "jwt-private.pem");
            settings["Seed__DemoData"] = "true";
            settings["Seed__DemoAccountsFile"] = RepoPaths.Combine("seeds", "demo-accounts.json");
            settings["Seed__DemoStationOfficersFile"] = RepoPaths.Combine("seeds", "demo-station-officers.json");
        }
        if (service == "listing")
        {
            // expiry tests move a date into the past and wait for the sweep
            settings["Listing__ExpirySweepSeconds"] = "1";
            settings["Listing__Attachments__Root"] = Path.Combine(keyDirectory, "attachments");
            settings["Listing__Search__IndexPath"] = Path.Combine(keyDirectory, "search");
            settings["Listing__Attachments__MaxBytes"] = AttachmentMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (service == "registration")
        {
            settings["Registration__StationKeyDirectory"] = Path.Combine(keyDirectory, "station-keys");
            settings["Registration__DocumentRoot"] = Path.Combine(keyDirectory, "documents");
            settings["Registration__PublicBaseUrl"] = $"http://127.0.0.1:{gatewayPort}";
        }
        if (service == "web")
        {
            settings["Gateway__BaseUrl"] = $"http://127.0.0.1:{gatewayPort}";
        }
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes.Values)
        {
            await process.DisposeAsync();
        }
        try
        {
            Directory.Delete(keyDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
