using Microsoft.Extensions.Diagnostics.HealthChecks;
using TransferHub.ServiceDefaults;

namespace TransferHub.Gateway;

/// <summary>The gateway is ready when every service behind it answers its own <c>/health/ready</c>.</summary>
internal static class DownstreamHealthChecks
{
    private static readonly HttpClient client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = TimeSpan.FromSeconds(3),
    };

    public static void AddDownstreamHealthChecks(this IHostApplicationBuilder builder)
    {
        var health = builder.Services.AddHealthChecks();
        foreach (var cluster in builder.Configuration.GetSection("ReverseProxy:Clusters").GetChildren())
        {
            var address = cluster.GetSection("Destinations").GetChildren().Select(d => d["Address"]).FirstOrDefault(a => a is not null);
            if (address is null)
            {
                continue;
            }
            var url = new Uri(new Uri(address), "/health/ready");
            health.AddAsyncCheck(cluster.Key, async ct =>
            {
                try
                {
                    using var response = await client.GetAsync(url, ct);
                    return response.IsSuccessStatusCode
                        ? HealthCheckResult.Healthy(url.ToString())
                        : HealthCheckResult.Unhealthy($"{url} answered {(int)response.StatusCode}");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return HealthCheckResult.Unhealthy($"{url} does not answer: {ex.Message}");
                }
            }, tags: [HealthTags.Ready]);
        }
    }
}
