using Streaming.Core.Backfill;

namespace Streaming.Cli.Commands;

/// <summary>Standard input as a <c>convert</c> input: read once, never cut, never marked done (it cannot be recognised again).</summary>
internal sealed class StdinInput : IConvertInput
{
    public string Name => "stdin";

    public string? Identity => null;

    public long? Length => null;

    /// <summary>The start of the run stands in for the arrival time of undated events.</summary>
    public long ModifiedMs { get; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public bool CanSeek => false;

    public Task<Stream> OpenAsync(long offset, CancellationToken cancellationToken) => Task.FromResult(Console.OpenStandardInput());
}
