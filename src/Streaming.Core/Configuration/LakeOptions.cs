namespace Streaming.Core.Configuration;

/// <summary>How the lake writer buffers and writes. Configuration section <c>Streaming:Lake</c>.</summary>
public sealed class LakeOptions
{
    public const string Section = "Streaming:Lake";

    /// <summary>A partition buffer is written out when it holds this much data (uncompressed, columnar).</summary>
    public ByteSize TargetFileSize { get; set; } = ByteSize.MiB(128);

    /// <summary>All buffers together may hold this much; above it the largest are written early.</summary>
    public ByteSize MemoryBudget { get; set; } = ByteSize.MiB(384);

    /// <summary>
    /// At most this many (table, hour) buffers are open in one router (a file conversion, or one shard); past it
    /// the least recently used are written. A small buffer costs a few KiB, so the cap can be high enough that a
    /// flood of partitions writes about one file per partition touched; the memory budget still bounds the total.
    /// </summary>
    public int MaxOpenPartitions { get; set; } = 5000;

    /// <summary>The cap a stream shard applies whatever <see cref="MaxOpenPartitions"/> says (see <see cref="WithStreamDefaults"/>).</summary>
    public const int MaxOpenPartitionsPerShard = 1000;

    /// <summary>
    /// The Parquet codec. Zstd at its fastest level makes a lake about half the size of Snappy's for a few percent
    /// more conversion time (docs/benchmarks.md, "Lake size"); Athena engine version 3 and DuckDB read it.
    /// </summary>
    public ParquetCompression Compression { get; set; } = ParquetCompression.Zstd;

    /// <summary>How hard the codec works (Zstd: level 1, 3 or 19; Gzip: its fastest, default or smallest; Snappy has no levels).</summary>
    public ParquetCompressionLevel CompressionLevel { get; set; } = ParquetCompressionLevel.Fastest;

    /// <summary>
    /// Rows within each file are written in event-time order (ties in arrival order), so each row group's min/max of
    /// <c>date</c> is narrow and engines skip the row groups a time filter excludes.
    /// </summary>
    public bool SortByEventTime { get; set; } = true;

    /// <summary>BIGINT columns are written DELTA_BINARY_PACKED; false writes them PLAIN (for a reader without delta support).</summary>
    public bool DeltaEncoding { get; set; } = true;

    /// <summary>Rows per Parquet row group (DuckDB's default, a good size for Athena's split planning).</summary>
    public int RowGroupRows { get; set; } = 122_880;

    /// <summary>A table never gets more columns than this; further new fields go to <c>_rescued</c>.</summary>
    public int MaxColumnsPerTable { get; set; } = 1000;

    /// <summary>An event larger than this is rejected (<c>too_large</c>) and kept under <c>_errors</c>.</summary>
    public ByteSize MaxEventSize { get; set; } = ByteSize.MiB(10);

    /// <summary>
    /// A buffer is written out at the latest this long after its first event arrived, so quiet partitions
    /// land and a stream's replay after a failover stays bounded. Off for file conversion (whose output must
    /// not depend on how fast it ran); the stream consumer defaults it to 5 minutes.
    /// </summary>
    public TimeSpan? MaxBufferAge { get; set; }

    /// <summary>
    /// A (table, hour) buffer is written once its hour of event time has passed by this much on the wall clock
    /// (late events then start a new file in the same partition). Off for file conversion, like the age; the
    /// stream consumer defaults it to 10 minutes.
    /// </summary>
    public TimeSpan? HourCloseGrace { get; set; }

    /// <summary>
    /// A copy with the stream consumer's wall-clock triggers filled in where they are not set: a whole copy, so
    /// an option added later cannot be lost on the way to a shard's writer.
    /// </summary>
    public LakeOptions WithStreamDefaults(TimeSpan maxBufferAge, TimeSpan hourCloseGrace)
    {
        var copy = (LakeOptions)MemberwiseClone();
        copy.MaxBufferAge ??= maxBufferAge;
        copy.HourCloseGrace ??= hourCloseGrace;

        // Every partition a shard wrote beyond its checkpoint takes an entry in the shard's lease item, which
        // DynamoDB caps at 400 KB: a shard keeps at most this many partitions open.
        copy.MaxOpenPartitions = Math.Min(copy.MaxOpenPartitions, MaxOpenPartitionsPerShard);
        return copy;
    }

    /// <summary>A whole copy with another memory budget: one input's share of the budget when a conversion runs several at once.</summary>
    public LakeOptions WithMemoryBudget(ByteSize budget)
    {
        var copy = (LakeOptions)MemberwiseClone();
        copy.MemoryBudget = budget;
        return copy;
    }

    /// <summary>Checks every option; each message names the key and what would be right.</summary>
    public IReadOnlyList<string> Validate(string section = Section)
    {
        var errors = new List<string>();
        if (TargetFileSize.Bytes < 1024)
        {
            errors.Add($"{section}:TargetFileSize is {TargetFileSize}; it must be at least 1KiB (for example 128MiB)");
        }

        if (MemoryBudget.Bytes < TargetFileSize.Bytes && MemoryBudget.Bytes < 1024 * 1024)
        {
            errors.Add($"{section}:MemoryBudget is {MemoryBudget}; it must be at least 1MiB (for example 384MiB)");
        }

        if (MaxOpenPartitions < 1)
        {
            errors.Add($"{section}:MaxOpenPartitions is {MaxOpenPartitions}; it must be 1 or more (for example 500)");
        }

        if (RowGroupRows is < 1000 or > 10_000_000)
        {
            errors.Add($"{section}:RowGroupRows is {RowGroupRows}; it must be between 1000 and 10000000 (for example 122880)");
        }

        if (MaxColumnsPerTable is < 10 or > 10_000)
        {
            errors.Add($"{section}:MaxColumnsPerTable is {MaxColumnsPerTable}; it must be between 10 and 10000 (for example 1000)");
        }

        if (MaxEventSize.Bytes is < 1024 or > 256L * 1024 * 1024)
        {
            errors.Add($"{section}:MaxEventSize is {MaxEventSize}; it must be between 1KiB and 256MiB (for example 10MiB)");
        }

        if (MaxBufferAge is { } age && (age < TimeSpan.FromSeconds(1) || age > TimeSpan.FromHours(24)))
        {
            errors.Add($"{section}:MaxBufferAge is {age}; it must be between 00:00:01 and 1.00:00:00 (for example 00:05:00)");
        }

        if (HourCloseGrace is { } grace && (grace < TimeSpan.Zero || grace > TimeSpan.FromHours(24)))
        {
            errors.Add($"{section}:HourCloseGrace is {grace}; it must be between 00:00:00 and 1.00:00:00 (for example 00:10:00)");
        }

        if (!Enum.IsDefined(Compression))
        {
            errors.Add($"{section}:Compression is {Compression}; it must be one of Zstd, Snappy, Gzip, None");
        }

        if (!Enum.IsDefined(CompressionLevel))
        {
            errors.Add($"{section}:CompressionLevel is {CompressionLevel}; it must be one of Fastest, Optimal, Smallest");
        }

        return errors;
    }
}
