using Microsoft.Extensions.Logging;
using Streaming.Core.Configuration;

namespace Streaming.Cli.Service;

/// <summary>
/// Caps the managed heap of <c>streaming run</c> at <see cref="MemoryBounds.HeapLimit"/>. Without a cap the
/// garbage collector sizes itself from the machine (or the container's limit: 75 % of it), so on a large node
/// garbage piles up far past the budget before a collection. A limit set by the operator wins: the runtime's
/// own <c>DOTNET_GCHeapHardLimit</c> (or a percentage), or a tighter container limit.
/// </summary>
internal static partial class HeapLimit
{
    private const string Setting = "GCHeapHardLimit";

    public static void Apply(ByteSize budget, ILogger logger)
    {
        var wanted = MemoryBounds.HeapLimit(budget);
        if (Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimitPercent") is { Length: > 0 })
        {
            Log.OperatorLimit(logger, Mib(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes));
            return;
        }

        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available < wanted)
        {
            Log.LimitBelowBudget(logger, Mib(available), budget.ToString(), Mib(MemoryBounds.ProcessLimit(budget)));
            return;
        }

        AppContext.SetData(Setting, (ulong)wanted);
        GC.RefreshMemoryLimit();
        Log.Applied(logger, Mib(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes), budget.ToString(), Mib(MemoryBounds.ProcessLimit(budget)));
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);

    private static partial class Log
    {
        [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "Managed heap limited to {HeapMiB} MiB (memory budget {Budget} + headroom); the process stays under about {ProcessMiB} MiB")]
        public static partial void Applied(ILogger logger, long heapMiB, string budget, long processMiB);

        [LoggerMessage(EventId = 521, Level = LogLevel.Information, Message = "Managed heap limit of {HeapMiB} MiB set by DOTNET_GCHeapHardLimit is kept")]
        public static partial void OperatorLimit(ILogger logger, long heapMiB);

        [LoggerMessage(EventId = 522, Level = LogLevel.Warning, Message = "The memory available to the managed heap ({HeapMiB} MiB) is less than the memory budget {Budget} needs; give the process at least {ProcessMiB} MiB or lower Streaming:Lake:MemoryBudget")]
        public static partial void LimitBelowBudget(ILogger logger, long heapMiB, string budget, long processMiB);
    }
}
