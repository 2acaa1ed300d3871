using System.Text.RegularExpressions;
using TransferHub.Testing;

namespace TransferHub.Architecture.Tests;

/// <summary>The layout rules of ARCHITECTURE.md, checked on the project files themselves.</summary>
public sealed partial class ProjectReferenceTests
{
    public static TheoryData<string> ServiceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var project in Directory.GetFiles(RepoPaths.Combine("services"), "*.csproj", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(RepoPaths.Combine("gateway"), "*.csproj", SearchOption.AllDirectories)))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Root, project));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ServiceProjects))]
    public void A_service_references_another_service_only_through_its_contracts(string project)
    {
        var owner = ServiceOf(project);
        var projectDirectory = Path.GetDirectoryName(RepoPaths.Combine(project))!;
        foreach (var reference in References(project))
        {
            var target = Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(projectDirectory, reference)));
            var targetService = ServiceOf(target);
            var allowed = targetService == "platform"
                          || targetService == owner
                          || Path.GetFileNameWithoutExtension(target).EndsWith(".Contracts", StringComparison.Ordinal);
            Assert.True(allowed, $"{project} references {target}: another service may only be referenced through its Contracts project.");
        }
    }

    [Theory]
    [MemberData(nameof(ServiceProjects))]
    public void Contracts_and_platform_projects_reference_no_service(string project)
    {
        var isContracts = project.EndsWith(".Contracts.csproj", StringComparison.Ordinal);
        var isPlatform = ServiceOf(project) == "platform";
        if (!isContracts && !isPlatform)
        {
            return;
        }
        var projectDirectory = Path.GetDirectoryName(RepoPaths.Combine(project))!;
        foreach (var reference in References(project))
        {
            var target = Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(projectDirectory, reference)));
            Assert.True(ServiceOf(target) == "platform" && !isContracts,
                $"{project} references {target}: contracts reference nothing, platform libraries only each other.");
        }
    }

    public static TheoryData<string> ProgramFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("services"), "Program.cs", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(RepoPaths.Combine("gateway"), "Program.cs", SearchOption.AllDirectories))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Root, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProgramFiles))]
    public void Program_files_stay_short(string file)
    {
        var lines = File.ReadAllLines(RepoPaths.Combine(file)).Count(l => l.Trim().Length > 0);
        Assert.True(lines <= 30, $"{file} has {lines} non-empty lines; move registrations into extension methods (at most 30).");
    }

    [Fact]
    public void Every_service_api_has_numbered_gap_free_migrations()
    {
        var apis = Directory.GetDirectories(RepoPaths.Combine("services"), "TransferHub.*.Api", SearchOption.AllDirectories);
        Assert.NotEmpty(apis);
        foreach (var api in apis)
        {
            var scripts = Directory.GetFiles(Path.Combine(api, "Migrations"), "*.sql").Select(Path.GetFileName).Order().ToList();
            Assert.True(scripts.Count > 0, $"{api} has no migrations");
            for (var i = 0; i < scripts.Count; i++)
            {
                Assert.Matches(MigrationName(), scripts[i]!);
                Assert.Equal(i + 1, int.Parse(scripts[i]![..4]));
            }
        }
    }

    [Fact]
    public void Every_package_version_is_pinned_centrally_and_MassTransit_stays_on_8()
    {
        var props = File.ReadAllText(RepoPaths.Combine("Directory.Packages.props"));
        foreach (Match match in PackageVersion().Matches(props))
        {
            Assert.Matches(@"^\d+\.\d+\.\d+", match.Groups["version"].Value);
            if (match.Groups["name"].Value.StartsWith("MassTransit", StringComparison.Ordinal))
            {
                Assert.StartsWith("8.", match.Groups["version"].Value);
            }
        }
        foreach (var project in Directory.GetFiles(RepoPaths.Root, "*.csproj", SearchOption.AllDirectories))
        {
            Assert.DoesNotMatch(@"PackageReference[^>]*Version=", File.ReadAllText(project));
        }
    }

    private static string ServiceOf(string relativePath)
    {
        var parts = relativePath.Split(Path.DirectorySeparatorChar, '/');
        return parts[0] == "services" ? parts[1] : parts[0];
    }

    private static IEnumerable<string> References(string project) =>
        ProjectReference().Matches(File.ReadAllText(RepoPaths.Combine(project)))
            .Select(m => m.Groups["path"].Value.Replace('\\', Path.DirectorySeparatorChar));

    [GeneratedRegex("<ProjectReference\\s+Include=\"(?<path>[^\"]+)\"")]
    private static partial Regex ProjectReference();

    [GeneratedRegex("<PackageVersion\\s+Include=\"(?<name>[^\"]+)\"\\s+Version=\"(?<version>[^\"]+)\"")]
    private static partial Regex PackageVersion();

    [GeneratedRegex(@"^\d{4}_[a-z0-9_]+\.sql$")]
    private static partial Regex MigrationName();
}
