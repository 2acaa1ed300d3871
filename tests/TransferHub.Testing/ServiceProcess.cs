using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TransferHub.Testing;

/// <summary>One TransferHub service running as a real process on a loopback port, as deploy/up.sh runs it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string dll;
    private readonly Dictionary<string, string> environment;
    private readonly string logFile;
    private Process? process;
    private StreamWriter? log;

    public ServiceProcess(string name, string projectDirectory, int port, IDictionary<string, string> environment, string logDirectory)
    {
        Name = name;
        Port = port;
        dll = RepoPaths.Dll(projectDirectory);
        this.environment = new Dictionary<string, string>(environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        Directory.CreateDirectory(logDirectory);
        logFile = Path.Combine(logDirectory, $"{name}-{port}.log");
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public bool IsRunning => process is { HasExited: false };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sets (or with null removes) a setting for the next <see cref="Start"/> (restart a service with other settings).</summary>
    public void Configure(string key, string? value)
    {
        if (value is null)
        {
            environment.Remove(key);
        }
        else
        {
            environment[key] = value;
        }
    }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        log ??= new StreamWriter(logFile, append: true) { AutoFlush = true };
        process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + dll);
        var writer = log;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200; fails with the end of the service's log otherwise.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode}. Log:\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not ready after {timeout}. Log:\n{Tail()}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — a crash.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public string Tail(int lines = 60)
    {
        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        if (log is not null)
        {
            await log.DisposeAsync();
        }
    }
}
