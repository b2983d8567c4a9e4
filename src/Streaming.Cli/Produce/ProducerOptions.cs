namespace Streaming.Cli.Produce;

/// <summary>How <see cref="KinesisProducer"/> sends: what to, how fast, how it packs and how hard it retries.</summary>
internal sealed class ProducerOptions
{
    public required string StreamName { get; init; }

    /// <summary>Pack events into KPL aggregated records, one open aggregate per shard.</summary>
    public bool Aggregate { get; init; }

    /// <summary>Events per second; null sends as fast as Kinesis accepts.</summary>
    public double? EventsPerSecond { get; init; }

    /// <summary>Records per PutRecords call, 1 to 500; the 5 MiB request limit may close a batch earlier.</summary>
    public int BatchSize { get; init; } = KinesisLimits.MaxRecordsPerCall;

    /// <summary>Attempts per batch, the first included; records still failing after the last one are reported undelivered.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The first resend waits between half and all of this; each further one doubles it.</summary>
    public TimeSpan BaseRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When pacing, nothing waits in a buffer longer than this before it is sent (the KPL's RecordMaxBufferedTime).</summary>
    public TimeSpan MaxBufferedTime { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest aggregated record, data plus partition key.</summary>
    public int MaxAggregateBytes { get; init; } = KinesisLimits.MaxRecordBytes;

    /// <summary>Checks every option; each message names the option and what would be right.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(StreamName))
        {
            errors.Add("--stream is empty; give the name of a Kinesis data stream");
        }

        if (EventsPerSecond is { } rate && (double.IsNaN(rate) || double.IsInfinity(rate) || rate <= 0))
        {
            errors.Add($"--rate is {rate}; it must be a positive number of events per second (for example 1000)");
        }

        if (BatchSize is < 1 or > KinesisLimits.MaxRecordsPerCall)
        {
            errors.Add($"--batch-size is {BatchSize}; it must be between 1 and {KinesisLimits.MaxRecordsPerCall} records per PutRecords call");
        }

        if (MaxAttempts is < 1 or > 100)
        {
            errors.Add($"--max-attempts is {MaxAttempts}; it must be between 1 and 100 (for example 8)");
        }

        if (BaseRetryDelay <= TimeSpan.Zero || BaseRetryDelay > MaxRetryDelay)
        {
            errors.Add($"BaseRetryDelay is {BaseRetryDelay}; it must be positive and at most MaxRetryDelay ({MaxRetryDelay})");
        }

        if (MaxBufferedTime <= TimeSpan.Zero)
        {
            errors.Add($"MaxBufferedTime is {MaxBufferedTime}; it must be positive");
        }

        if (MaxAggregateBytes is < 1024 or > KinesisLimits.MaxRecordBytes)
        {
            errors.Add($"MaxAggregateBytes is {MaxAggregateBytes}; it must be between 1024 and {KinesisLimits.MaxRecordBytes}");
        }

        return errors;
    }
}
