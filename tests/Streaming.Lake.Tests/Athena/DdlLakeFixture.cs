using Streaming.Lake.Tests.Support;

namespace Streaming.Lake.Tests.Athena;

/// <summary>The <see cref="DdlLake"/>, made once for a test class.</summary>
public sealed class DdlLakeFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    public string Lake => _directory.Path;

    public Task InitializeAsync() => DdlLake.CreateAsync(Lake);

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
