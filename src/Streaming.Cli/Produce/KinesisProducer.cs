using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Aws.Kinesis;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Cli.Produce;

/// <summary>
/// Puts events into a Kinesis data stream with PutRecords: batches of at most <see cref="ProducerOptions.BatchSize"/>
/// records and 5 MiB, each record at most 1 MiB; optionally packed into KPL aggregated records per shard first, and
/// paced by a token bucket. When a call partly fails only the failed entries are sent again, after an exponential
/// backoff with jitter, a bounded number of times; whatever is still undelivered then stops the run with a
/// <see cref="ProduceFailedException"/> that says how much.
/// </summary>
internal sealed class KinesisProducer
{
    /// <summary>Entry errors that pass with time; any other (KMS access, disabled key, ...) will fail again.</summary>
    private static readonly HashSet<string> RetryableErrors = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException",
        "InternalFailure",
        "InternalFailureException",
        "InternalServerError",
        "ServiceUnavailable",
        "KMSThrottlingException",
    };

    private readonly IKinesisClient _client;
    private readonly ProducerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<double> _jitter;
    private readonly ProduceStats _stats = new();
    private readonly List<PendingRecord> _batch = [];
    private readonly Dictionary<string, OpenAggregate> _aggregates = new(StringComparer.Ordinal);
    private ShardMap? _shards;
    private int _batchBytes;
    private long? _oldestBuffered;
    private long _started;

    public KinesisProducer(IKinesisClient client, ProducerOptions options, TimeProvider? time = null, ILogger? logger = null, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _client = client;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _jitter = jitter ?? Random.Shared.NextDouble;
    }

    /// <summary>Sends every event, then whatever is still buffered; the summary counts what Kinesis accepted.</summary>
    public async Task<ProduceSummary> RunAsync(IEnumerable<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        _started = _time.GetTimestamp();
        if (_options.Aggregate)
        {
            try
            {
                _shards = await ShardMap.LoadAsync(_client, _options.StreamName, cancellationToken).ConfigureAwait(false);
            }
            catch (KinesisException e)
            {
                throw new ProduceFailedException($"cannot aggregate without the shards of {_options.StreamName}: {e.Message}", Summary(), e);
            }

            ProduceLog.ShardsLoaded(_logger, _shards.Shards.Count, _options.StreamName);
        }

        var bucket = _options.EventsPerSecond is { } rate ? new TokenBucket(rate, _time) : null;
        foreach (var data in events)
        {
            if (bucket is not null)
            {
                await bucket.TakeAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            _stats.Events++;
            var partitionKey = PartitionKeys.For(data.Span);
            if (_shards is null)
            {
                await AddAsync(new PendingRecord(new PutRecordsEntry(data, partitionKey), 1, false), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AggregateAsync(_shards, data, partitionKey, cancellationToken).ConfigureAwait(false);
            }

            // Without pacing the input arrives as fast as it is read and batches fill at once; with it, a slow trickle
            // must not sit in a half-full batch.
            if (bucket is not null && _oldestBuffered is { } oldest && _time.GetElapsedTime(oldest) >= _options.MaxBufferedTime)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return Summary();
    }

    private ProduceSummary Summary() => ProduceSummary.From(_stats, _time.GetElapsedTime(_started));

    private async Task AggregateAsync(ShardMap shards, ReadOnlyMemory<byte> data, string partitionKey, CancellationToken cancellationToken)
    {
        var hashKey = ShardMap.HashKey(partitionKey);
        var shardId = shards.ShardFor(hashKey).ShardId;
        if (!_aggregates.TryGetValue(shardId, out var open))
        {
            open = new OpenAggregate(_options.MaxAggregateBytes);
            _aggregates.Add(shardId, open);
        }

        var result = open.Aggregator.TryAdd(data, partitionKey);
        if (result == KplAddResult.Full)
        {
            await EmitAsync(open, cancellationToken).ConfigureAwait(false);
            result = open.Aggregator.TryAdd(data, partitionKey);
        }

        if (result == KplAddResult.Added)
        {
            if (open.Aggregator.Count == 1)
            {
                open.FirstData = data;
                open.FirstPartitionKey = partitionKey;
                open.FirstHashKey = hashKey;
            }

            _oldestBuffered ??= _time.GetTimestamp();
            return;
        }

        // Too large to aggregate even alone: it may still fit an ordinary record (or be reported too large there).
        await AddAsync(new PendingRecord(new PutRecordsEntry(data, partitionKey), 1, false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves a shard's aggregate to the batch; a lone record goes as it is, as the KPL sends it.</summary>
    private Task EmitAsync(OpenAggregate open, CancellationToken cancellationToken)
    {
        if (open.Aggregator.Count == 1)
        {
            open.Aggregator.Clear();
            return AddAsync(new PendingRecord(new PutRecordsEntry(open.FirstData, open.FirstPartitionKey), 1, false), cancellationToken);
        }

        var aggregate = open.Aggregator.Flush()!;
        var entry = new PutRecordsEntry(aggregate.Data, aggregate.PartitionKey, ShardMap.HashKeyText(open.FirstHashKey));
        return AddAsync(new PendingRecord(entry, aggregate.UserRecordCount, true), cancellationToken);
    }

    private async Task AddAsync(PendingRecord record, CancellationToken cancellationToken)
    {
        if (record.Bytes > KinesisLimits.MaxRecordBytes)
        {
            _stats.EventsTooLarge += record.Events;
            ProduceLog.TooLarge(_logger, _stats.Events, record.Bytes, KinesisLimits.MaxRecordBytes);
            return;
        }

        if (_batch.Count > 0 && (long)_batchBytes + record.Bytes > KinesisLimits.MaxBytesPerCall)
        {
            await SendBatchAsync(cancellationToken).ConfigureAwait(false);
        }

        _batch.Add(record);
        _batchBytes += record.Bytes;
        _oldestBuffered ??= _time.GetTimestamp();
        if (_batch.Count >= _options.BatchSize)
        {
            await SendBatchAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var open in _aggregates.Values.Where(a => a.Aggregator.Count > 0))
        {
            await EmitAsync(open, cancellationToken).ConfigureAwait(false);
        }

        if (_batch.Count > 0)
        {
            await SendBatchAsync(cancellationToken).ConfigureAwait(false);
        }

        _oldestBuffered = null;
    }

    /// <summary>Puts the batch; resends only the entries that failed with a passing error, until none is left or attempts run out.</summary>
    private async Task SendBatchAsync(CancellationToken cancellationToken)
    {
        List<PendingRecord> pending = [.. _batch];
        _batch.Clear();
        _batchBytes = 0;
        var undelivered = new List<PendingRecord>();
        var errors = new List<string>();
        var attempt = 0;
        while (pending.Count > 0)
        {
            attempt++;
            _stats.PutRecordsCalls++;
            var retry = new List<PendingRecord>();
            var retryError = string.Empty;
            try
            {
                var result = await _client.PutRecordsAsync(_options.StreamName, [.. pending.Select(p => p.Entry)], cancellationToken).ConfigureAwait(false);
                if (result.Entries.Count != pending.Count)
                {
                    throw Failed([.. undelivered, .. pending], attempt, [$"PutRecords answered {result.Entries.Count} entries for {pending.Count} records"], null);
                }

                for (var i = 0; i < pending.Count; i++)
                {
                    var entry = result.Entries[i];
                    if (entry.Succeeded)
                    {
                        Delivered(pending[i]);
                    }
                    else if (entry.ErrorCode is { } code && RetryableErrors.Contains(code))
                    {
                        retry.Add(pending[i]);
                        retryError = $"{code}: {entry.ErrorMessage}";
                    }
                    else
                    {
                        undelivered.Add(pending[i]);
                        errors.Add($"{entry.ErrorCode ?? "NoSequenceNumber"}: {entry.ErrorMessage}");
                    }
                }
            }
            catch (KinesisException e) when (e.IsTransient)
            {
                // The client already retried the call itself; count it as one failed attempt of the whole batch.
                retry = pending;
                retryError = $"{e.ErrorCode}: {e.ErrorMessage}";
            }
            catch (KinesisException e)
            {
                throw Failed([.. undelivered, .. pending], attempt, [.. errors, $"{e.ErrorCode}: {e.ErrorMessage}"], e);
            }

            if (retry.Count == 0)
            {
                break;
            }

            if (attempt >= _options.MaxAttempts)
            {
                undelivered.AddRange(retry);
                errors.Add(retryError);
                break;
            }

            var delay = RetryDelay.For(attempt - 1, _options.BaseRetryDelay, _options.MaxRetryDelay, _jitter());
            ProduceLog.Resending(_logger, attempt, retry.Count, pending.Count, retryError.Split(':')[0], (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            _stats.Retries += retry.Count;
            pending = retry;
        }

        if (undelivered.Count > 0)
        {
            throw Failed(undelivered, attempt, errors, null);
        }
    }

    private void Delivered(PendingRecord record)
    {
        _stats.RecordsSent++;
        _stats.EventsDelivered += record.Events;
        _stats.BytesSent += record.Bytes;
        if (record.IsAggregate)
        {
            _stats.AggregatedRecords++;
        }
    }

    private ProduceFailedException Failed(IReadOnlyCollection<PendingRecord> records, int attempts, IReadOnlyList<string> errors, Exception? cause)
    {
        var events = records.Sum(r => r.Events);
        var message = $"{records.Count} {(records.Count == 1 ? "record" : "records")} ({events} {(events == 1 ? "event" : "events")}) "
            + $"not delivered to {_options.StreamName} after {attempts} {(attempts == 1 ? "attempt" : "attempts")}; "
            + $"{(errors.Distinct().Count() == 1 ? "error" : "errors")} {string.Join("; ", errors.Distinct(StringComparer.Ordinal).Take(3))}";
        return new ProduceFailedException(message, Summary(), cause);
    }
}
