namespace Streaming.Core.Backfill;

/// <summary>How <c>convert</c> spreads its inputs over the cores (docs/backfill.md).</summary>
public sealed class BackfillOptions
{
    /// <summary>
    /// The default of <see cref="InputsInFlight"/>: a constant, not the core count, so that the memory each piece
    /// may use (and so where its files are cut) is the same on every machine.
    /// </summary>
    public const int DefaultInputsInFlight = 4;

    /// <summary>Pieces converted at the same time, and files encoded at the same time; by default every core.</summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The memory budget is cut into this many equal shares; each piece flushes on its own share alone, so its files
    /// depend only on its own lines. At most this many pieces run at once (fewer when <see cref="Threads"/> is lower).
    /// </summary>
    public int InputsInFlight { get; set; } = DefaultInputsInFlight;

    /// <summary>Plain inputs larger than this are cut into pieces of this many bytes; null never cuts.</summary>
    public long? ChunkBytes { get; set; } = ChunkPlanner.DefaultChunkBytes;

    public InputErrorMode OnInputError { get; set; } = InputErrorMode.Skip;

    /// <summary>First and longest wait between attempts of a piece that failed with a transient error (throttling, an outage).</summary>
    public TimeSpan RetryFirst { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryLongest { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pieces running at once.</summary>
    public int Parallelism => Math.Max(1, Math.Min(Threads, InputsInFlight));

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Threads < 1)
        {
            errors.Add($"--threads is {Threads}; it must be 1 or more (for example {Environment.ProcessorCount}, the cores of this machine)");
        }

        if (InputsInFlight is < 1 or > 256)
        {
            errors.Add($"--inputs-in-flight is {InputsInFlight}; it must be between 1 and 256 (for example {DefaultInputsInFlight})");
        }

        if (ChunkBytes is < 1024 * 1024)
        {
            errors.Add($"--chunk-size is {ChunkBytes} bytes; it must be at least 1MiB (for example 64MiB), or 0 to never cut inputs");
        }

        return errors;
    }
}
