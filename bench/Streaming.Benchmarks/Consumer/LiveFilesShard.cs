using Streaming.Core.Consumer;

namespace Streaming.Benchmarks.Consumer;

/// <summary>One simulated shard: its lease, its consumer, its traffic and when the driver reads it next.</summary>
internal sealed class LiveFilesShard(string id, HeldLease held, ShardConsumer consumer, LiveFilesTraffic traffic)
{
    public string Id { get; } = id;

    public HeldLease Held { get; } = held;

    public ShardConsumer Consumer { get; } = consumer;

    public LiveFilesTraffic Traffic { get; } = traffic;

    public DateTimeOffset NextRead { get; set; }
}
