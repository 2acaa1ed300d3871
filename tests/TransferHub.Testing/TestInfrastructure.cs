using System.Diagnostics;
using System.Net.Http.Json;
using Dapper;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace TransferHub.Testing;

/// <summary>
/// The PostgreSQL and RabbitMQ the tests use: the private instances deploy/test.sh starts on loopback
/// (<c>TH_TEST_INFRA=local</c>), or containers started here when a Docker engine exists (<c>TH_TEST_INFRA=containers</c>).
/// Each caller gets its own database names and its own RabbitMQ virtual host, so runs never see each other's data.
/// </summary>
public sealed class TestInfrastructure
{
    private static readonly SemaphoreSlim gate = new(1, 1);
    private static TestInfrastructure? instance;

    private TestInfrastructure(string postgres, string rabbitHost, int rabbitPort, int managementPort, string user, string password, bool containers)
    {
        PostgresServer = postgres;
        RabbitHost = rabbitHost;
        RabbitPort = rabbitPort;
        ManagementPort = managementPort;
        RabbitUser = user;
        RabbitPassword = password;
        UsesContainers = containers;
    }

    /// <summary>Connection string to the server without a database name.</summary>
    public string PostgresServer { get; }
    public string RabbitHost { get; }
    public int RabbitPort { get; }
    public int ManagementPort { get; }
    public string RabbitUser { get; }
    public string RabbitPassword { get; }
    public bool UsesContainers { get; }

    public static async Task<TestInfrastructure> GetAsync()
    {
        await gate.WaitAsync();
        try
        {
            return instance ??= await StartAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<TestInfrastructure> StartAsync()
    {
        var mode = Environment.GetEnvironmentVariable("TH_TEST_INFRA") ?? "local";
        if (mode == "containers")
        {
            var pg = new PostgreSqlBuilder("postgres:15.10").Build();
            var rabbit = new RabbitMqBuilder("rabbitmq:3.13.7-management").WithPortBinding(15672, true).Build();
            await Task.WhenAll(pg.StartAsync(), rabbit.StartAsync());
            var pgBuilder = new NpgsqlConnectionStringBuilder(pg.GetConnectionString()) { Database = null };
            return new TestInfrastructure(pgBuilder.ConnectionString, rabbit.Hostname, rabbit.GetMappedPublicPort(5672),
                rabbit.GetMappedPublicPort(15672), "rabbitmq", "rabbitmq", containers: true);
        }
        var postgres = Environment.GetEnvironmentVariable("TH_TEST_PG")
            ?? throw new InvalidOperationException("TH_TEST_PG is not set: run the tests through deploy/test.sh, which starts PostgreSQL and RabbitMQ.");
        return new TestInfrastructure(postgres,
            Environment.GetEnvironmentVariable("TH_TEST_RABBIT_HOST") ?? "127.0.0.1",
            int.Parse(Environment.GetEnvironmentVariable("TH_TEST_RABBIT_PORT") ?? "56672"),
            int.Parse(Environment.GetEnvironmentVariable("TH_TEST_RABBIT_MGMT_PORT") ?? "56673"),
            "guest", "guest", containers: false);
    }

    public string Database(string name) => new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ConnectionString;

    /// <summary>A fresh RabbitMQ virtual host, created through the management API.</summary>
    public async Task<string> CreateVirtualHostAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{RabbitHost}:{ManagementPort}/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{RabbitUser}:{RabbitPassword}")));
        var escaped = Uri.EscapeDataString(name);
        (await http.PutAsync($"api/vhosts/{escaped}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/{escaped}/{Uri.EscapeDataString(RabbitUser)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return name;
    }

    public async Task<T> QueryScalarAsync<T>(string database, string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(Database(database));
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no value: " + sql);
    }

    public async Task<int> ExecuteAsync(string database, string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(Database(database));
        return await connection.ExecuteAsync(sql, args);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string database, string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(Database(database));
        return (await connection.QueryAsync<T>(sql, args)).AsList();
    }

    /// <summary>Stops and starts the broker (the private node's script; containers are not restarted here).</summary>
    public async Task RestartBrokerAsync(TimeSpan downtime, Func<Task>? whileDown = null)
    {
        var env = Environment.GetEnvironmentVariable("TH_TEST_RABBIT_ENV")
            ?? throw new InvalidOperationException("TH_TEST_RABBIT_ENV is not set: deploy/test.sh exports it.");
        var script = RepoPaths.Combine("deploy", "infra", "rabbitmq.sh");
        await RunAsync("bash", "-c", $"set -a; source '{env}'; bash '{script}' stop");
        var started = Stopwatch.StartNew();
        if (whileDown is not null)
        {
            await whileDown();
        }
        var rest = downtime - started.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }
        await RunAsync("bash", "-c", $"set -a; source '{env}'; bash '{script}' start");
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stdout} {await stderr}");
        }
    }
}
