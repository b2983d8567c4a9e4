using Microsoft.Extensions.Logging;
using Streaming.Core.Configuration;
using Streaming.Core.Diagnostics;
using Streaming.Core.Events;
using Streaming.Core.Schema;

namespace Streaming.Core.Lake;

/// <summary>
/// File conversion's lake writer: a <see cref="LakeRouter"/> and a <see cref="LakePublisher"/> in one flow.
/// <see cref="Append"/> is synchronous and cheap; when it sets <see cref="FlushPending"/> the caller awaits
/// <see cref="FlushDueAsync"/>, which takes the due buffers from the router and publishes them in order. The
/// stream consumer drives the two halves itself (it records intents between them).
/// </summary>
public sealed class LakeWriter
{
    private readonly LakePublisher _publisher;

    private LakeWriter(LakeRouter router, LakePublisher publisher)
    {
        Router = router;
        _publisher = publisher;
    }

    /// <summary>Opens a writer on a lake, loading the schemas already there.</summary>
    public static async Task<LakeWriter> OpenAsync(
        ILakeStore store,
        IColumnarFileWriter fileWriter,
        LakeOptions options,
        TimeProvider? time = null,
        ILogger? logger = null,
        LakeMetrics? metrics = null,
        CancellationToken cancellationToken = default)
    {
        var schemas = new SchemaRegistry(store);
        await schemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        return Create(store, fileWriter, options, schemas, time, logger, metrics);
    }

    /// <summary>A writer on an already loaded schema registry, which it may share with other writers.</summary>
    public static LakeWriter Create(
        ILakeStore store,
        IColumnarFileWriter fileWriter,
        LakeOptions options,
        SchemaRegistry schemas,
        TimeProvider? time = null,
        ILogger? logger = null,
        LakeMetrics? metrics = null,
        MemoryAccount? memory = null)
    {
        metrics ??= new LakeMetrics();
        var router = new LakeRouter(options, schemas, time, logger, metrics, memory);
        return new LakeWriter(router, new LakePublisher(store, fileWriter, schemas, time, logger, metrics, maxConcurrentEncodes: 1));
    }

    /// <summary>
    /// A writer on its own router and a publisher it shares with other writers (one per input of a conversion, as one
    /// router per shard in the stream consumer). The publisher's encoder limit bounds the encodes of all of them.
    /// </summary>
    public static LakeWriter Create(LakeRouter router, LakePublisher publisher) => new(router, publisher);

    public LakeRouter Router { get; }

    public IReplayFilter? Replay
    {
        get => Router.Replay;
        set => Router.Replay = value;
    }

    public bool HasOpenBuffers => Router.HasOpenBuffers;

    public long SkippedOnReplay => Router.SkippedOnReplay;

    public LakeWriterStats Stats => Router.Stats;

    public SchemaRegistry Schemas => Router.Schemas;

    public bool FlushPending => Router.FlushPending;

    public int OpenPartitions => Router.OpenPartitions;

    public long BufferedBytes => Router.BufferedBytes;

    /// <summary>Looks at the clocks (maximum age, hour close); see <see cref="LakeRouter.CheckClocks"/>.</summary>
    public void CheckAge() => Router.CheckClocks();

    public void Append(ReadOnlySpan<byte> json, SourcePosition position, long arrivalMs) => Router.Append(json, position, arrivalMs);

    public void AppendPayload(ReadOnlyMemory<byte> payload, string source, string? sequence, long arrivalMs, long subSequence = 0) =>
        Router.AppendPayload(payload, source, sequence, arrivalMs, subSequence);

    public void Reject(ReadOnlySpan<byte> raw, SourcePosition position, long arrivalMs, RejectReason reason, string message, long? originalLength) =>
        Router.Reject(raw, position, arrivalMs, reason, message, originalLength);

    /// <summary>Writes out whatever the flush policy selects now.</summary>
    public Task FlushDueAsync(CancellationToken cancellationToken) => PublishAsync(Router.TakeDue(), cancellationToken);

    /// <summary>Writes out every buffer (but those rebuilding an earlier owner's run, see <see cref="LakeRouter.TakeAll"/>).</summary>
    public Task FlushAllAsync(FlushReason reason, CancellationToken cancellationToken) => PublishAsync(Router.TakeAll(reason), cancellationToken);

    /// <summary>
    /// Publishes the buffers concurrently (the publisher's encoder limit decides how many encode at once) and records
    /// them in the router's order, so the statistics do not depend on which finished first.
    /// </summary>
    private async Task PublishAsync(List<DueBuffer> due, CancellationToken cancellationToken)
    {
        if (due.Count == 1)
        {
            Record(due[0], await _publisher.PublishAsync(due[0], cancellationToken).ConfigureAwait(false));
            return;
        }

        var tasks = due.Select(buffer => _publisher.PublishAsync(buffer, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        finally
        {
            for (var i = 0; i < due.Count; i++)
            {
                if (tasks[i].IsCompletedSuccessfully)
                {
                    Record(due[i], tasks[i].Result);
                }
            }
        }
    }

    private void Record(DueBuffer buffer, PublishedFile file)
    {
        Router.Stats.Record(file);
        Router.Release(buffer);
    }
}
