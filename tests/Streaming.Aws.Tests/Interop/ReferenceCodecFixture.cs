namespace Streaming.Aws.Tests.Interop;

/// <summary>One codec.js for the tests of a class.</summary>
public sealed class ReferenceCodecFixture : IAsyncLifetime
{
    internal ReferenceCodec Codec { get; private set; } = null!;

    public async Task InitializeAsync() => Codec = await ReferenceCodec.StartAsync();

    public Task DisposeAsync()
    {
        Codec?.Dispose();
        return Task.CompletedTask;
    }
}
