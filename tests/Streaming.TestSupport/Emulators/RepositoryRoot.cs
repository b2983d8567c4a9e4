namespace Streaming.TestSupport.Emulators;

public static class RepositoryRoot
{
    public const string SolutionFile = "Streaming.sln";

    /// <summary>The folder holding Streaming.sln, found by walking up from the test assembly (or <paramref name="start"/>).</summary>
    public static string Find(string? start = null)
    {
        var from = start ?? AppContext.BaseDirectory;
        for (var directory = new DirectoryInfo(from); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} found in {from} or any folder above it");
    }
}
