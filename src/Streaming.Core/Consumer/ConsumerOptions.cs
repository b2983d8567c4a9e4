namespace Streaming.Core.Consumer;

/// <summary>How the stream is consumed. Configuration section <c>Streaming:Consumer</c>.</summary>
public sealed class ConsumerOptions
{
    public const string Section = "Streaming:Consumer";

    /// <summary>The Kinesis data stream.</summary>
    public string StreamName { get; set; } = string.Empty;

    /// <summary>Where a shard without a checkpoint starts: TRIM_HORIZON (default: nothing in the stream is missed), LATEST or AT_TIMESTAMP.</summary>
    public string InitialPosition { get; set; } = "TRIM_HORIZON";

    /// <summary>The time AT_TIMESTAMP starts from.</summary>
    public DateTimeOffset? InitialTimestamp { get; set; }

    /// <summary>Buffers are written at the latest this long after their first event: the bound on replay after a failover.</summary>
    public TimeSpan MaxBufferAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A (table, hour) buffer is written once its hour has passed by this much (late events start a new file in the same hour).</summary>
    public TimeSpan HourCloseGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Records asked for per GetRecords call.</summary>
    public int MaxRecordsPerRead { get; set; } = 10_000;

    /// <summary>Time between reads of one shard (Kinesis allows 5 reads per second per shard, shared by all consumers).</summary>
    public TimeSpan ReadInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Wait after a read that returned nothing.</summary>
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a graceful stop may take to flush and checkpoint before the process gives up.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> Validate(string section = Section)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(StreamName))
        {
            errors.Add($"{section}:StreamName is missing; give the Kinesis stream to read (--stream or Streaming__Consumer__StreamName)");
        }

        if (InitialPosition is not ("TRIM_HORIZON" or "LATEST" or "AT_TIMESTAMP"))
        {
            errors.Add($"{section}:InitialPosition is '{InitialPosition}'; it must be TRIM_HORIZON, LATEST or AT_TIMESTAMP");
        }
        else if (InitialPosition == "AT_TIMESTAMP" && InitialTimestamp is null)
        {
            errors.Add($"{section}:InitialTimestamp is missing; AT_TIMESTAMP needs it (ISO-8601, for example 2021-09-16T00:00:00Z)");
        }

        if (MaxBufferAge < TimeSpan.FromSeconds(1) || MaxBufferAge > TimeSpan.FromHours(1))
        {
            errors.Add($"{section}:MaxBufferAge is {MaxBufferAge}; it must be between 00:00:01 and 01:00:00 (for example 00:05:00)");
        }

        if (MaxRecordsPerRead is < 1 or > 10_000)
        {
            errors.Add($"{section}:MaxRecordsPerRead is {MaxRecordsPerRead}; it must be between 1 and 10000");
        }

        if (ReadInterval < TimeSpan.FromMilliseconds(200))
        {
            errors.Add($"{section}:ReadInterval is {ReadInterval}; it must be at least 00:00:00.2 (5 reads per second per shard)");
        }

        if (IdleInterval < ReadInterval)
        {
            errors.Add($"{section}:IdleInterval is {IdleInterval}; it must be at least ReadInterval ({ReadInterval})");
        }

        if (ShutdownTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:ShutdownTimeout is {ShutdownTimeout}; it must be positive (for example 00:00:30)");
        }

        return errors;
    }
}
