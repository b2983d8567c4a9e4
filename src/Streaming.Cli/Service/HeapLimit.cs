using Microsoft.Extensions.Logging;
using Streaming.Core.Configuration;

namespace Streaming.Cli.Service;

/// <summary>
/// Caps the managed heap of <c>streaming run</c> at <see cref="MemoryBounds.HeapLimit"/>, and moves the cap with
/// the number of shards the worker reads (past four, each adds room for its GetRecords answers). Without a cap the
/// garbage collector sizes itself from the machine (or 75 % of the container's limit), so on a large node garbage
/// piles up far past the budget before a collection. A limit set by the operator wins: the runtime's own
/// <c>DOTNET_GCHeapHardLimit</c> (or a percentage), or a tighter container limit.
/// </summary>
internal sealed partial class HeapLimit
{
    private const string Setting = "GCHeapHardLimit";
    private readonly ByteSize _budget;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private long _applied;

    private HeapLimit(ByteSize budget, ILogger logger, long applied)
    {
        _budget = budget;
        _logger = logger;
        _applied = applied;
    }

    /// <summary>Sets the cap for a worker holding no shard yet; null when the operator's limit is kept instead.</summary>
    public static HeapLimit? Apply(ByteSize budget, ILogger logger)
    {
        var wanted = MemoryBounds.HeapLimit(budget);
        if (Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimitPercent") is { Length: > 0 })
        {
            Log.OperatorLimit(logger, Mib(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes));
            return null;
        }

        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available < wanted)
        {
            Log.LimitBelowBudget(logger, Mib(available), budget.ToString(), Mib(MemoryBounds.ProcessLimit(budget)));
            return null;
        }

        AppContext.SetData(Setting, (ulong)wanted);
        GC.RefreshMemoryLimit();
        Log.Applied(logger, Mib(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes), budget.ToString(), Mib(MemoryBounds.ProcessLimit(budget)));
        return new HeapLimit(budget, logger, wanted);
    }

    /// <summary>Moves the cap to what <paramref name="shards"/> shards need (called when the leases held change).</summary>
    public void Follow(int shards)
    {
        var wanted = MemoryBounds.HeapLimit(_budget, shards);
        lock (_lock)
        {
            if (wanted == _applied)
            {
                return;
            }

            try
            {
                AppContext.SetData(Setting, (ulong)wanted);
                GC.RefreshMemoryLimit();
                _applied = wanted;
                Log.Moved(_logger, Mib(wanted), shards, Mib(MemoryBounds.ProcessLimit(_budget, shards)));
            }
            catch (InvalidOperationException e)
            {
                // Lowering it below what the heap holds now is refused: keep the higher limit.
                AppContext.SetData(Setting, (ulong)_applied);
                Log.NotMoved(_logger, Mib(wanted), e.Message);
            }
        }
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);

    private static partial class Log
    {
        [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "Managed heap limited to {HeapMiB} MiB (memory budget {Budget} + headroom); the process stays under about {ProcessMiB} MiB while it reads at most 4 shards")]
        public static partial void Applied(ILogger logger, long heapMiB, string budget, long processMiB);

        [LoggerMessage(EventId = 521, Level = LogLevel.Information, Message = "Managed heap limit of {HeapMiB} MiB set by DOTNET_GCHeapHardLimit is kept")]
        public static partial void OperatorLimit(ILogger logger, long heapMiB);

        [LoggerMessage(EventId = 522, Level = LogLevel.Warning, Message = "The memory available to the managed heap ({HeapMiB} MiB) is less than the memory budget {Budget} needs; give the process at least {ProcessMiB} MiB or lower Streaming:Lake:MemoryBudget")]
        public static partial void LimitBelowBudget(ILogger logger, long heapMiB, string budget, long processMiB);

        [LoggerMessage(EventId = 523, Level = LogLevel.Information, Message = "Managed heap limit now {HeapMiB} MiB for {Shards} shards; the process stays under about {ProcessMiB} MiB")]
        public static partial void Moved(ILogger logger, long heapMiB, int shards, long processMiB);

        [LoggerMessage(EventId = 524, Level = LogLevel.Warning, Message = "Could not move the managed heap limit to {HeapMiB} MiB: {Message}")]
        public static partial void NotMoved(ILogger logger, long heapMiB, string message);
    }
}
