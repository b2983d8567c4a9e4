namespace Streaming.Core.Decoding.Kpl;

/// <summary>One user record taken out of a KPL aggregated record.</summary>
/// <param name="Data">The user record's payload (one or more events, possibly compressed: decode it like any record).</param>
/// <param name="PartitionKey">The user record's own partition key, not the aggregated record's.</param>
/// <param name="ExplicitHashKey">The user record's explicit hash key, when the producer gave one.</param>
/// <param name="SubSequenceNumber">
/// The record's index in the aggregate (0-based). Together with the Kinesis sequence number of the aggregated record
/// it identifies the user record, which is why a checkpoint must carry it.
/// </param>
/// <param name="Tags">The user record's tags; empty for most producers.</param>
public sealed record KplUserRecord(
    ReadOnlyMemory<byte> Data,
    string PartitionKey,
    string? ExplicitHashKey,
    long SubSequenceNumber,
    IReadOnlyList<KplTag> Tags);
