namespace TransferHub.Testing;

public static class RepoPaths
{
    /// <summary>The repository root: <c>TH_REPO_ROOT</c>, or the first parent holding TransferHub.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Configuration => Environment.GetEnvironmentVariable("TH_TEST_CONFIGURATION") ??
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The built dll of a project, e.g. <c>Dll("services/listing/TransferHub.Listing.Api")</c>.</summary>
    public static string Dll(string projectDirectory)
    {
        var name = Path.GetFileName(projectDirectory);
        var path = Combine(projectDirectory, "bin", Configuration, "net10.0", name + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution first (deploy/test.sh does: dotnet build TransferHub.sln -c {Configuration}).");
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("TH_REPO_ROOT") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TransferHub.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("TransferHub.sln not found above " + AppContext.BaseDirectory + "; set TH_REPO_ROOT.");
    }
}
