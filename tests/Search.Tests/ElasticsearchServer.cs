using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using TransferHub.Search.Concepts;
using TransferHub.Search.Elasticsearch;

namespace TransferHub.Search.Tests;

/// <summary>
/// A real Elasticsearch for <see cref="ElasticsearchContainerTests"/>: the server at <c>TH_TEST_ELASTICSEARCH_URL</c> when
/// that is set (e.g. docker compose's, with analysis-icu), otherwise a container of the repository's image
/// (<c>deploy/docker/elasticsearch/Dockerfile</c>: Elasticsearch 8.15.3 with analysis-icu, built by Testcontainers;
/// <c>TH_TEST_ELASTICSEARCH_IMAGE</c> names a prebuilt one instead) started with the generic <see cref="ContainerBuilder"/>.
/// Without either, <see cref="Unavailable"/> says why and the tests are skipped.
/// </summary>
public sealed class ElasticsearchServer : IAsyncLifetime
{
    public const string Version = "8.15.3";
    private const string ImageName = "transferhub/elasticsearch-icu:" + Version;
    private static readonly Lazy<string?> unavailable = new(Probe);

    private IContainer? container;
    private readonly List<string> aliases = [];

    /// <summary>Why no server can be had (null when one can): the skip reason of every container test.</summary>
    public static string? Unavailable => unavailable.Value;

    public Uri? Url { get; private set; }

    public async Task InitializeAsync()
    {
        if (Unavailable is not null)
        {
            return;
        }
        if (Environment.GetEnvironmentVariable("TH_TEST_ELASTICSEARCH_URL") is { Length: > 0 } url)
        {
            Url = new Uri(url);
            return;
        }
        var image = Environment.GetEnvironmentVariable("TH_TEST_ELASTICSEARCH_IMAGE");
        if (string.IsNullOrEmpty(image))
        {
            var dockerfile = new ImageFromDockerfileBuilder()
                .WithDockerfileDirectory(Path.Combine(RepositoryRoot(), "deploy", "docker", "elasticsearch"))
                .WithName(ImageName)
                .WithDeleteIfExists(false)
                .Build();
            await dockerfile.CreateAsync();
            image = ImageName;
        }
        container = new ContainerBuilder(image)
            .WithEnvironment("discovery.type", "single-node")
            .WithEnvironment("xpack.security.enabled", "false")
            .WithEnvironment("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
            .WithPortBinding(9200, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r
                .ForPort(9200).ForPath("/_cluster/health?wait_for_status=yellow&timeout=5s")))
            .Build();
        await container.StartAsync();
        Url = new Uri($"http://{container.Hostname}:{container.GetMappedPublicPort(9200)}/");
    }

    /// <summary>An engine on a collection of its own; the same <paramref name="collection"/> opens the same index again.</summary>
    public ElasticsearchSearchEngine Open(string collection, Thesaurus thesaurus, int bulkBatchSize = 500)
    {
        var options = new ElasticsearchOptions(Url ?? throw new InvalidOperationException(Unavailable), "th-test-") { BulkBatchSize = bulkBatchSize };
        var engine = new ElasticsearchSearchEngine(options, collection, thesaurus);
        lock (aliases)
        {
            aliases.Add(engine.Alias);
        }
        return engine;
    }

    /// <summary>Raw requests for checks beyond the engine's interface (e.g. which indexes exist).</summary>
    public async Task<JsonNode?> GetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = Url };
        using var response = await http.GetAsync(path);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonNode>() : null;
    }

    public async Task DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
            return;
        }
        if (Url is null)
        {
            return;
        }
        // A shared server: delete the indexes the tests made (by name; wildcard deletes are refused by default).
        using var http = new HttpClient { BaseAddress = Url };
        foreach (var alias in aliases.Distinct())
        {
            if (await GetAsync("_alias/" + alias) is JsonObject indexes)
            {
                foreach (var (index, _) in indexes)
                {
                    using var _ = await http.DeleteAsync(index);
                }
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("The repository root (Directory.Packages.props) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>Null when a server can be had: TH_TEST_ELASTICSEARCH_URL set, or a Docker engine answering its ping.</summary>
    private static string? Probe()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TH_TEST_ELASTICSEARCH_URL")))
        {
            return null;
        }
        const string need = "The Elasticsearch container tests need a Docker engine (or TH_TEST_ELASTICSEARCH_URL pointing at an Elasticsearch " +
            Version + " with analysis-icu)";
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        try
        {
            if (host is not null && host.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
            {
                var uri = new Uri(host);
                using var tcp = new TcpClient();
                return tcp.ConnectAsync(uri.Host, uri.Port).Wait(TimeSpan.FromSeconds(2)) ? null : $"{need}: DOCKER_HOST={host} does not answer.";
            }
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var socket = host is not null && host.StartsWith("unix://", StringComparison.OrdinalIgnoreCase)
                ? host["unix://".Length..]
                : new[] { "/var/run/docker.sock", Path.Combine(home, ".docker", "run", "docker.sock"), Path.Combine(home, ".docker", "desktop", "docker.sock") }
                    .FirstOrDefault(File.Exists);
            if (socket is null || !File.Exists(socket))
            {
                return $"{need}: none is reachable (DOCKER_HOST is not set and there is no /var/run/docker.sock).";
            }
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 2000, SendTimeout = 2000 };
            client.Connect(new UnixDomainSocketEndPoint(socket));
            client.Send(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
            var buffer = new byte[256];
            var read = client.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal)
                ? null
                : $"{need}: the engine at {socket} does not answer its ping.";
        }
        catch (Exception e) when (e is SocketException or IOException or AggregateException or UnauthorizedAccessException or UriFormatException)
        {
            return $"{need}: {e.GetBaseException().Message}";
        }
    }
}

/// <summary>A fact that needs a real Elasticsearch: skipped, with the reason shown, when none can be had.</summary>
public sealed class ElasticsearchFactAttribute : FactAttribute
{
    public ElasticsearchFactAttribute()
    {
        if (ElasticsearchServer.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
