using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Streaming.Core.Diagnostics;

/// <summary>
/// The consumer's instruments (meter <c>Streaming.Consumer</c>): records and bytes read per shard, and gauges
/// read when scraped: leases held, the stream's open shards (as the last shard sync saw them), MillisBehindLatest
/// and checkpoint lag per shard, open buffers and the bytes they hold; and transient write failures retried, per
/// target.
/// </summary>
public sealed class ConsumerMetrics
{
    public const string MeterName = "Streaming.Consumer";

    private readonly ConcurrentDictionary<string, ShardGauges> _shards = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private int _openShards = -1;

    public ConsumerMetrics(TimeProvider time, IMeterFactory? meterFactory = null, Func<long>? bufferedBytes = null)
    {
        _time = time;
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        RecordsRead = meter.CreateCounter<long>("streaming.records.read", "{record}", "Kinesis records read, per shard");
        BytesRead = meter.CreateCounter<long>("streaming.bytes.read", "By", "Bytes of Kinesis record data read, per shard");
        meter.CreateObservableGauge("streaming.leases.held", () => _shards.Count, "{lease}", "Shard leases this worker holds");
        meter.CreateObservableGauge("streaming.stream.shards.open", () => OpenShardMeasurements(), "{shard}", "Open shards of the stream at the last shard sync");
        WriteFailures = meter.CreateCounter<long>("streaming.writes.failed", "{failure}", "Lake or lease-table writes that failed transiently and are retried, per target (lake, lease_table)");
        meter.CreateObservableGauge("streaming.shard.millis_behind_latest", () => Each(g => g.MillisBehindLatest), "ms", "MillisBehindLatest of the last read, per shard");
        meter.CreateObservableGauge("streaming.checkpoint.lag", () => Each(g => _time.GetElapsedTime(g.LastCheckpoint).TotalSeconds), "s", "Time since the shard's checkpoint last moved, per shard");
        meter.CreateObservableGauge("streaming.buffers.open", () => Each(g => (double)g.OpenBuffers), "{buffer}", "Open (table, hour) buffers, per shard");
        meter.CreateObservableGauge("streaming.buffers.bytes", () => bufferedBytes?.Invoke() ?? _shards.Values.Sum(g => g.BufferedBytes), "By", "Memory held by all buffers");
        Meter = meter;
    }

    public Meter Meter { get; }

    public Counter<long> RecordsRead { get; }

    public Counter<long> BytesRead { get; }

    public Counter<long> WriteFailures { get; }

    /// <summary>Shards being processed now.</summary>
    public int ShardsTracked => _shards.Count;

    /// <summary>The stream's open shards as the last shard sync listed them; -1 until one did.</summary>
    public int OpenShards
    {
        get => Volatile.Read(ref _openShards);
        set => Volatile.Write(ref _openShards, value);
    }

    /// <summary>The gauges of a shard being processed; removed when its processing ends.</summary>
    public ShardGauges Track(string shardId)
    {
        var gauges = new ShardGauges(shardId) { LastCheckpoint = _time.GetTimestamp() };
        _shards[shardId] = gauges;
        return gauges;
    }

    public void Untrack(string shardId) => _shards.TryRemove(shardId, out _);

    private IEnumerable<Measurement<int>> OpenShardMeasurements()
    {
        var open = OpenShards;
        return open < 0 ? [] : [new Measurement<int>(open)];
    }

    private IEnumerable<Measurement<double>> Each(Func<ShardGauges, double> value) =>
        _shards.Values.Select(g => new Measurement<double>(value(g), new KeyValuePair<string, object?>("shard", g.ShardId)));
}
