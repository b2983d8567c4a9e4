using Streaming.TestSupport.Emulators;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// Expected outputs kept as files next to the tests (Athena/Golden). A difference fails with both texts; run the tests
/// with <c>STREAMING_UPDATE_GOLDEN=1</c> to write the new output over the file, then review it in the diff.
/// </summary>
internal static class Golden
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot.Find(), "tests", "Streaming.Lake.Tests", "Athena", "Golden");

    public static void AssertMatches(string file, string actual)
    {
        var path = Path.Combine(Directory, file);
        if (Environment.GetEnvironmentVariable("STREAMING_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no golden file {path}; run the tests once with STREAMING_UPDATE_GOLDEN=1 to write it");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }
}
