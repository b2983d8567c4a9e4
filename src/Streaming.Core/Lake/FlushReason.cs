namespace Streaming.Core.Lake;

/// <summary>Why a buffer was written out. One policy decides them all (see <see cref="FlushPolicy"/>).</summary>
public enum FlushReason
{
    /// <summary>The buffer reached the target file size.</summary>
    Size,

    /// <summary>All buffers together went over the memory budget; the largest are written first.</summary>
    Memory,

    /// <summary>Too many partitions are open; the least recently appended is written.</summary>
    PartitionLimit,

    /// <summary>The input ended.</summary>
    EndOfInput,

    /// <summary>The buffer's hour of event time has passed, plus the grace period.</summary>
    HourClosed,

    /// <summary>The buffer's first event is older than the maximum buffer age (it bounds replay after a failover).</summary>
    MaxAge,

    /// <summary>A replay reached the end of a run an earlier owner meant to write.</summary>
    Replay,

    /// <summary>The shard ended or the worker is shutting down.</summary>
    Shutdown,

    /// <summary>The shard's lease item holds many partitions beyond its checkpoint: everything is written so that the checkpoint catches up.</summary>
    LeaseSize,
}
