using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Aws.Kinesis.Internal;

namespace Streaming.Aws.Kinesis;

/// <summary>
/// <see cref="IKinesisClient"/> over the Kinesis JSON 1.1 protocol. AWSSDK.Core resolves credentials and region and
/// signs each request (SigV4); this class writes and reads the JSON, retries throttling and 5xx with backoff, and
/// translates errors into <see cref="KinesisException"/>.
/// </summary>
public sealed class KinesisClient : IKinesisClient, IDisposable
{
    private readonly KinesisClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Func<string, string?> _environment;
    private readonly Lazy<RequestSigner> _signer;
    private readonly AnswerBuffers _answers = new();
    private AWSCredentials? _credentials;

    public KinesisClient(
        KinesisClientOptions options,
        HttpClient? httpClient = null,
        TimeProvider? timeProvider = null,
        ILogger<KinesisClient>? logger = null)
        : this(options, httpClient, timeProvider, logger, Environment.GetEnvironmentVariable, KinesisEndpointResolver.SdkRegion)
    {
    }

    internal KinesisClient(
        KinesisClientOptions options,
        HttpClient? httpClient,
        TimeProvider? timeProvider,
        ILogger? logger,
        Func<string, string?> environment,
        Func<string?> sdkRegion)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _environment = environment;

        // Resolved on first use: the SDK's region chain may ask instance metadata, which should not block construction.
        // PublicationOnly so that a transient failure is not cached for the life of the client.
        _signer = new Lazy<RequestSigner>(
            () =>
            {
                var region = KinesisEndpointResolver.ResolveRegion(_options.Region, sdkRegion);
                var endpoint = KinesisEndpointResolver.ResolveEndpoint(_options.ServiceUrl, region, _environment);
                KinesisLog.Resolved(_logger, region, endpoint);
                return new RequestSigner(endpoint, region);
            },
            LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The URL requests go to (resolves region and endpoint if not done yet).</summary>
    public Uri Endpoint => _signer.Value.RequestUri;

    public async Task CreateStreamAsync(string streamName, int shardCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        var body = KinesisWire.Write((streamName, shardCount), static (w, s) =>
        {
            w.WriteString("StreamName", s.streamName);
            w.WriteNumber("ShardCount", s.shardCount);
        });
        using var _ = await SendAsync("CreateStream", body, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StreamSummary> DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        const string operation = "DescribeStreamSummary";
        var body = KinesisWire.Write(streamName, static (w, s) => w.WriteString("StreamName", s));
        using var answer = await SendAsync(operation, body, cancellationToken).ConfigureAwait(false);
        return KinesisWire.ReadStreamSummary(operation, answer.RootElement);
    }

    public async Task<StreamSummary> WaitForStreamActiveAsync(string streamName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        var started = _timeProvider.GetTimestamp();
        string lastSeen;
        while (true)
        {
            try
            {
                var summary = await DescribeStreamSummaryAsync(streamName, cancellationToken).ConfigureAwait(false);
                if (summary.Status == StreamStatus.Active)
                {
                    return summary;
                }

                if (summary.Status == StreamStatus.Deleting)
                {
                    throw new KinesisException(
                        KinesisErrorKind.ResourceInUse,
                        "WaitForStreamActive",
                        "StreamDeleting",
                        $"Stream {streamName} is being deleted and will not become active");
                }

                lastSeen = summary.Status.ToString();
            }
            catch (KinesisException e) when (e.Kind == KinesisErrorKind.NotFound)
            {
                // CreateStream is eventually consistent: the stream may not be visible yet.
                lastSeen = "not found";
            }

            if (_timeProvider.GetElapsedTime(started) >= timeout)
            {
                throw new TimeoutException($"Stream {streamName} is not active after {timeout}; last status: {lastSeen}");
            }

            await Task.Delay(_options.StatusPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<Shard>> ListShardsAsync(
        string streamName,
        ShardFilter? filter = null,
        int? pageSize = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        if (pageSize is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "ListShards pages hold 1 to 10000 shards");
        }

        const string operation = "ListShards";
        var shards = new List<Shard>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        string? nextToken = null;
        do
        {
            var body = KinesisWire.Write((streamName, filter, pageSize, nextToken), static (w, s) =>
            {
                if (s.nextToken is null)
                {
                    w.WriteString("StreamName", s.streamName);
                    if (s.filter is not null)
                    {
                        WriteShardFilter(w, s.filter);
                    }
                }
                else
                {
                    // The API rejects StreamName (and the filter) next to NextToken: the token carries both.
                    w.WriteString("NextToken", s.nextToken);
                }

                if (s.pageSize is { } size)
                {
                    w.WriteNumber("MaxResults", size);
                }
            });

            using var answer = await SendAsync(operation, body, cancellationToken).ConfigureAwait(false);
            nextToken = KinesisWire.ReadShardPage(operation, answer.RootElement, shards);
            if (nextToken is not null && !seenTokens.Add(nextToken))
            {
                throw new KinesisException(KinesisErrorKind.Fatal, operation, "PaginationLoop", "ListShards returned the same NextToken twice");
            }
        }
        while (nextToken is not null);

        return shards;
    }

    public async Task<string> GetShardIteratorAsync(
        string streamName,
        string shardId,
        ShardIteratorPosition position,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        ArgumentException.ThrowIfNullOrWhiteSpace(shardId);
        ArgumentNullException.ThrowIfNull(position);
        const string operation = "GetShardIterator";
        var body = KinesisWire.Write((streamName, shardId, position), static (w, s) =>
        {
            w.WriteString("StreamName", s.streamName);
            w.WriteString("ShardId", s.shardId);
            w.WriteString("ShardIteratorType", KinesisWire.IteratorTypeName(s.position.Type));
            if (s.position.SequenceNumber is { } sequenceNumber)
            {
                w.WriteString("StartingSequenceNumber", sequenceNumber);
            }

            if (s.position.Timestamp is { } timestamp)
            {
                KinesisWire.WriteEpochSeconds(w, "Timestamp", timestamp);
            }
        });
        using var answer = await SendAsync(operation, body, cancellationToken).ConfigureAwait(false);
        return KinesisWire.ReadShardIterator(operation, answer.RootElement);
    }

    public async Task<GetRecordsResult> GetRecordsAsync(string shardIterator, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shardIterator);
        if (limit is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "GetRecords returns 1 to 10000 records per call");
        }

        const string operation = "GetRecords";
        var body = KinesisWire.Write((shardIterator, limit), static (w, s) =>
        {
            w.WriteString("ShardIterator", s.shardIterator);
            if (s.limit is { } l)
            {
                w.WriteNumber("Limit", l);
            }
        });
        var answer = await SendForBytesAsync(operation, body, cancellationToken, _answers).ConfigureAwait(false);
        try
        {
            return KinesisWire.ReadGetRecords(operation, answer);
        }
        finally
        {
            // The records' data were decoded into arrays of their own: nothing refers into the answer any more.
            _answers.Return(answer.Array!);
        }
    }

    public async Task<PutRecordsResult> PutRecordsAsync(
        string streamName,
        IReadOnlyList<PutRecordsEntry> records,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count is < 1 or > 500)
        {
            throw new ArgumentOutOfRangeException(nameof(records), records.Count, "PutRecords takes 1 to 500 records per call");
        }

        const string operation = "PutRecords";
        var body = KinesisWire.Write((streamName, records), static (w, s) =>
        {
            w.WriteString("StreamName", s.streamName);
            w.WriteStartArray("Records");
            foreach (var record in s.records)
            {
                w.WriteStartObject();
                w.WriteBase64String("Data", record.Data.Span);
                w.WriteString("PartitionKey", record.PartitionKey);
                if (record.ExplicitHashKey is { } hashKey)
                {
                    w.WriteString("ExplicitHashKey", hashKey);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        using var answer = await SendAsync(operation, body, cancellationToken).ConfigureAwait(false);
        return KinesisWire.ReadPutRecords(operation, answer.RootElement);
    }

    public async Task SplitShardAsync(
        string streamName,
        string shardToSplit,
        BigInteger newStartingHashKey,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        ArgumentException.ThrowIfNullOrWhiteSpace(shardToSplit);
        var body = KinesisWire.Write((streamName, shardToSplit, newStartingHashKey), static (w, s) =>
        {
            w.WriteString("StreamName", s.streamName);
            w.WriteString("ShardToSplit", s.shardToSplit);
            w.WriteString("NewStartingHashKey", s.newStartingHashKey.ToString(CultureInfo.InvariantCulture));
        });
        using var _ = await SendAsync("SplitShard", body, cancellationToken).ConfigureAwait(false);
    }

    public async Task MergeShardsAsync(
        string streamName,
        string shardToMerge,
        string adjacentShardToMerge,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        ArgumentException.ThrowIfNullOrWhiteSpace(shardToMerge);
        ArgumentException.ThrowIfNullOrWhiteSpace(adjacentShardToMerge);
        var body = KinesisWire.Write((streamName, shardToMerge, adjacentShardToMerge), static (w, s) =>
        {
            w.WriteString("StreamName", s.streamName);
            w.WriteString("ShardToMerge", s.shardToMerge);
            w.WriteString("AdjacentShardToMerge", s.adjacentShardToMerge);
        });
        using var _ = await SendAsync("MergeShards", body, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static void WriteShardFilter(Utf8JsonWriter writer, ShardFilter filter)
    {
        writer.WriteStartObject("ShardFilter");
        writer.WriteString("Type", KinesisWire.FilterTypeName(filter.Type));
        if (filter.ShardId is { } shardId)
        {
            writer.WriteString("ShardId", shardId);
        }

        if (filter.Timestamp is { } timestamp)
        {
            KinesisWire.WriteEpochSeconds(writer, "Timestamp", timestamp);
        }

        writer.WriteEndObject();
    }

    /// <summary>Sends one operation, retrying transient failures; the caller disposes the parsed answer.</summary>
    private async Task<JsonDocument> SendAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        var content = await SendForBytesAsync(operation, body, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(content.Count == 0 ? "{}"u8.ToArray() : content.AsMemory());
        }
        catch (JsonException e)
        {
            throw new KinesisException(KinesisErrorKind.Fatal, operation, "MalformedResponse", "The answer is not JSON", innerException: e);
        }
    }

    /// <summary>
    /// Sends one call, retrying what is transient, and returns the answer's bytes: in an array of its own, or in one
    /// rented from <paramref name="buffers"/> that the caller gives back once it has read the answer.
    /// </summary>
    private async Task<ArraySegment<byte>> SendForBytesAsync(string operation, byte[] body, CancellationToken cancellationToken, AnswerBuffers? buffers = null)
    {
        RequestSigner signer;
        try
        {
            signer = _signer.Value;
        }
        catch (KinesisException e)
        {
            throw new KinesisException(e.Kind, operation, e.ErrorCode, e.ErrorMessage, innerException: e);
        }

        for (var attempt = 0; ; attempt++)
        {
            var (answer, failure) = await TrySendOnceAsync(signer, operation, body, buffers, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                return answer;
            }

            var error = failure!;
            if (!error.IsTransient || attempt >= _options.MaxRetries)
            {
                if (error.IsTransient && attempt > 0)
                {
                    KinesisLog.GaveUp(_logger, operation, attempt + 1, error.ErrorCode, error.Kind);
                }

                throw error;
            }

            var delay = RetryBackoff.Delay(attempt, _options.BaseRetryDelay, _options.MaxRetryDelay, Random.Shared.NextDouble());
            KinesisLog.Retrying(_logger, operation, attempt + 1, error.ErrorCode, error.Kind, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(ArraySegment<byte> Answer, KinesisException? Error)> TrySendOnceAsync(
        RequestSigner signer,
        string operation,
        byte[] body,
        AnswerBuffers? buffers,
        CancellationToken cancellationToken)
    {
        ImmutableCredentials credentials;
        try
        {
            credentials = await GetCredentialsAsync(operation).ConfigureAwait(false);
        }
        catch (KinesisException e)
        {
            return (default, e);
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = signer.CreateSignedRequest(operation, body, credentials, _timeProvider.GetUtcNow().UtcDateTime);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var content = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
                var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
                return (default, KinesisErrorClassifier.FromResponse(operation, response.StatusCode, content, errorType));
            }

            return (await ReadBodyAsync(response.Content, buffers, linked.Token).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (default, new KinesisException(
                KinesisErrorKind.Unavailable, operation, "RequestTimeout", $"No answer within {_options.RequestTimeout}", innerException: e));
        }
        catch (HttpRequestException e)
        {
            return (default, new KinesisException(KinesisErrorKind.Unavailable, operation, "NetworkError", e.Message, innerException: e));
        }
        catch (IOException e)
        {
            // The connection broke, or ended early, while the body was read.
            return (default, new KinesisException(KinesisErrorKind.Unavailable, operation, "NetworkError", e.Message, innerException: e));
        }
    }

    /// <summary>
    /// Reads an answer's body into one array of its announced length (or one rented from <paramref name="buffers"/>).
    /// Buffering it in the handler first would hold it twice (pooled growing buffers, then the copy handed out): for
    /// a GetRecords answer of 10 MB of records, about 14 MB of base64 JSON more per read, on every shard at once
    /// (docs/memory.md).
    /// </summary>
    private static async Task<ArraySegment<byte>> ReadBodyAsync(HttpContent content, AnswerBuffers? buffers, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is not { } announced || announced > Array.MaxLength)
        {
            return await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var length = (int)announced;
        var body = buffers?.Rent(length) ?? (length == 0 ? [] : GC.AllocateUninitializedArray<byte>(length));
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await stream.ReadExactlyAsync(body.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            buffers?.Return(body);
            throw;
        }

        return new ArraySegment<byte>(body, 0, length);
    }

    private async Task<ImmutableCredentials> GetCredentialsAsync(string operation)
    {
        try
        {
            var source = _credentials;
            if (source is null)
            {
                source = !string.IsNullOrEmpty(_options.AccessKeyId)
                    ? string.IsNullOrEmpty(_options.SessionToken)
                        ? new BasicAWSCredentials(_options.AccessKeyId, _options.SecretAccessKey)
                        : new SessionAWSCredentials(_options.AccessKeyId, _options.SecretAccessKey, _options.SessionToken)
                    : await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync().ConfigureAwait(false);
                _credentials = source;
            }

            // Refreshing sources (web identity, container, instance roles) renew themselves before expiry here.
            return await source.GetCredentialsAsync().ConfigureAwait(false)
                ?? throw new KinesisException(KinesisErrorKind.AccessDenied, operation, "CredentialsUnavailable", "The credential source returned nothing");
        }
        catch (AmazonServiceException e) when ((int)e.StatusCode >= 500)
        {
            throw new KinesisException(KinesisErrorKind.Unavailable, operation, "CredentialsUnavailable", e.Message, (int)e.StatusCode, e);
        }
        catch (AmazonClientException e)
        {
            throw new KinesisException(KinesisErrorKind.AccessDenied, operation, "CredentialsUnavailable", e.Message, innerException: e);
        }
    }
}
