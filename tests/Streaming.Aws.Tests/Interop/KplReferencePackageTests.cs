using System.Text.Json;

namespace Streaming.Aws.Tests.Interop;

/// <summary>tools/kpl-reference is a yardstick only while it stays the version it claims to be.</summary>
public sealed class KplReferencePackageTests
{
    [Fact]
    public void The_reference_folder_pins_exact_versions_and_has_a_lockfile_for_npm_ci()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(KplReference.PackageDirectory, "package.json")));
        var dependencies = manifest.RootElement.GetProperty("dependencies").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

        Assert.Equal("4.2.8", dependencies["aws-kinesis-agg"]);
        Assert.All(dependencies.Values, v => Assert.Matches(@"^\d+\.\d+\.\d+$", v));
        Assert.True(File.Exists(Path.Combine(KplReference.PackageDirectory, "package-lock.json")));
    }
}
