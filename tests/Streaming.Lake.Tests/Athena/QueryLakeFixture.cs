using Streaming.Lake.Tests.Support;

namespace Streaming.Lake.Tests.Athena;

/// <summary>The <see cref="AnalyticsEvents"/> as NDJSON, converted into a lake by the real <c>streaming convert</c>.</summary>
public sealed class QueryLakeFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    internal IReadOnlyList<AnalyticsEvent> Events { get; } = AnalyticsEvents.Create();

    public string Lake => _directory.File("lake");

    public string Input => _directory.File("events.ndjson");

    public async Task InitializeAsync()
    {
        await File.WriteAllLinesAsync(Input, Events.Select(e => e.ToJson()));
        var (code, _, stderr) = await StreamingProcess.RunAsync(["convert", Input, "--lake", Lake, "-q"]);
        Assert.True(code == 0, stderr);
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
