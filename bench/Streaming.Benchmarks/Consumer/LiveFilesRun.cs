using Streaming.Core.Configuration;
using Streaming.Core.Consumer;

namespace Streaming.Benchmarks.Consumer;

/// <summary>What a live-files simulation ran with and what it cost, for the report's header.</summary>
internal sealed record LiveFilesRun(
    LiveFilesSettings Settings,
    ConsumerOptions Consumer,
    LakeOptions Lake,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Events,
    long LateEvents,
    long Reads,
    long PeakMemoryBytes,
    TimeSpan Wall,
    double CpuSeconds);
