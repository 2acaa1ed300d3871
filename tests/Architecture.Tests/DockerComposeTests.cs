using System.Diagnostics;
using System.Text.RegularExpressions;
using TransferHub.Testing;

namespace TransferHub.Architecture.Tests;

/// <summary>docker-compose.yml and the Dockerfiles: valid, pinned, non-root, and covering every service.</summary>
public sealed partial class DockerComposeTests
{
    private static readonly string ComposeFile = RepoPaths.Combine("docker-compose.yml");
    private static readonly string ServiceDockerfile = RepoPaths.Combine("deploy", "docker", "service.Dockerfile");

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var (exitCode, stderr) = await RunAsync("docker-compose", $"-f \"{ComposeFile}\" config -q");
        Assert.True(exitCode == 0, $"docker-compose config -q failed ({exitCode}): {stderr}");
    }

    [Fact]
    public void Every_image_is_pinned_to_an_exact_version()
    {
        var images = ImageLine().Matches(File.ReadAllText(ComposeFile)).Select(m => m.Groups[1].Value.Trim().Trim('"')).ToList();
        var froms = FromLine().Matches(File.ReadAllText(ServiceDockerfile))
            .Concat(FromLine().Matches(File.ReadAllText(RepoPaths.Combine("deploy", "docker", "elasticsearch", "Dockerfile"))))
            .Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(images);
        Assert.All(images.Concat(froms), image =>
            Assert.True(PinnedTag().IsMatch(image), $"'{image}' is not pinned to an exact version (name:x.y[.z][-variant])"));
    }

    [Fact]
    public void Only_the_gateway_publishes_a_port()
    {
        var published = ServiceBlocks().Where(b => b.Body.Contains("\n    ports:", StringComparison.Ordinal)).Select(b => b.Name).ToList();
        Assert.Equal(["gateway"], published);
    }

    [Fact]
    public void Every_service_project_has_a_compose_service_built_from_it()
    {
        var text = File.ReadAllText(ComposeFile);
        var projects = Directory.GetDirectories(RepoPaths.Combine("services"), "TransferHub.*", SearchOption.AllDirectories)
            .Where(d => d.EndsWith(".Api", StringComparison.Ordinal) || d.EndsWith("TransferHub.Web", StringComparison.Ordinal))
            .Append(RepoPaths.Combine("gateway", "TransferHub.Gateway"))
            .Select(d => Path.GetRelativePath(RepoPaths.Root, d).Replace('\\', '/'))
            .ToList();
        Assert.Equal(7, projects.Count);
        Assert.All(projects, project => Assert.Contains($"PROJECT: {project}\n", text, StringComparison.Ordinal));
        foreach (Match built in ProjectArg().Matches(text))
        {
            Assert.True(Directory.Exists(RepoPaths.Combine(built.Groups[1].Value)), $"PROJECT {built.Groups[1].Value} does not exist");
        }
    }

    [Fact]
    public void The_service_image_is_multi_stage_and_runs_as_a_non_root_user()
    {
        var lines = File.ReadAllLines(ServiceDockerfile);
        Assert.True(lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)) >= 2, "service.Dockerfile needs a build and a runtime stage");
        var lastUser = lines.LastOrDefault(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotNull(lastUser);
        Assert.DoesNotMatch(@"^USER\s+(root|0)(:|\s|$)", lastUser);
    }

    private static IEnumerable<(string Name, string Body)> ServiceBlocks()
    {
        var text = File.ReadAllText(ComposeFile).Replace("\r\n", "\n", StringComparison.Ordinal);
        var services = text[(text.IndexOf("\nservices:\n", StringComparison.Ordinal) + 1)..];
        var end = services.IndexOf("\nvolumes:\n", StringComparison.Ordinal);
        services = end < 0 ? services : services[..end];
        var starts = ServiceStart().Matches(services).ToList();
        for (var i = 0; i < starts.Count; i++)
        {
            var stop = i + 1 < starts.Count ? starts[i + 1].Index : services.Length;
            yield return (starts[i].Groups[1].Value, services[starts[i].Index..stop]);
        }
    }

    private static async Task<(int ExitCode, string Stderr)> RunAsync(string command, string arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"{command} is not installed: apt-get install docker-compose (deploy/test.sh installs it)");
            throw;
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stderr);
        }
    }

    [GeneratedRegex(@"^\s+image:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ImageLine();

    [GeneratedRegex(@"^FROM\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^[a-z0-9./_-]+:\d+\.\d+(\.\d+)?([-.][a-z0-9.]+)?$")]
    private static partial Regex PinnedTag();

    [GeneratedRegex(@"^  ([a-z][a-z0-9-]*):\n", RegexOptions.Multiline)]
    private static partial Regex ServiceStart();

    [GeneratedRegex(@"PROJECT:\s*(\S+)")]
    private static partial Regex ProjectArg();
}
