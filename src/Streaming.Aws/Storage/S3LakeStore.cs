using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Aws.Storage.Internal;
using Streaming.Core.Lake;

namespace Streaming.Aws.Storage;

/// <summary>
/// <see cref="ILakeStore"/> on an S3 bucket (docs/s3-lake.md). Lake key <c>k</c> is object <c>&lt;prefix&gt;/k</c>.
/// Create-if-absent is a conditional write (<c>If-None-Match: *</c> on PutObject, or on CompleteMultipartUpload above
/// <see cref="S3LakeStoreOptions.MultipartThreshold"/>), so an object is never overwritten and never visible in part;
/// against servers that ignore the condition a HeadObject before the write keeps replays from overwriting.
/// </summary>
public sealed class S3LakeStore : ILakeStore, IDisposable
{
    private const string AnyObject = "*";

    /// <summary>Tries of a create-if-absent that S3 answered with 409 ConditionalRequestConflict while the key stayed free.</summary>
    private const int ConflictAttempts = 3;

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3LakeStoreOptions _options;
    private readonly S3LakeLocation _location;
    private readonly bool _verifyNoOverwrite;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>A store with its own client built by <see cref="S3LakeClientFactory"/> (default credential chain).</summary>
    public S3LakeStore(S3LakeStoreOptions options, TimeProvider? timeProvider = null, ILogger<S3LakeStore>? logger = null)
        : this(S3LakeClientFactory.Create(options), ownsClient: true, options, timeProvider, logger)
    {
    }

    /// <summary>
    /// A store on a client the caller owns and may share. Build it with <see cref="S3LakeClientFactory"/> for bounded
    /// retries and timeouts and checksums that S3-compatible servers accept.
    /// </summary>
    public S3LakeStore(IAmazonS3 client, S3LakeStoreOptions options, TimeProvider? timeProvider = null, ILogger<S3LakeStore>? logger = null)
        : this(client, ownsClient: false, options, timeProvider, logger)
    {
    }

    private S3LakeStore(IAmazonS3 client, bool ownsClient, S3LakeStoreOptions options, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        _location = new S3LakeLocation(options.Bucket, options.Prefix);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;

        // AWS enforces If-None-Match; a configured endpoint is some other server that may not.
        var endpoint = client.Config.ServiceURL;
        _verifyNoOverwrite = options.VerifyNoOverwrite ?? !string.IsNullOrEmpty(endpoint);
        S3LakeLog.Opened(
            _logger,
            Root,
            string.IsNullOrEmpty(endpoint) ? client.Config.RegionEndpoint?.SystemName ?? "the SDK's region" : endpoint,
            client.Config is AmazonS3Config { ForcePathStyle: true },
            options.ServerSideEncryption,
            _verifyNoOverwrite);
    }

    /// <summary><c>s3://bucket/prefix</c>.</summary>
    public string Root => _location.ToString();

    public S3LakeLocation Location => _location;

    /// <summary>Whether each create-if-absent asks HeadObject first (see <see cref="S3LakeStoreOptions.VerifyNoOverwrite"/>).</summary>
    public bool VerifiesNoOverwrite => _verifyNoOverwrite;

    public async Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        CheckMetadata(metadata);
        for (var attempt = 1; ; attempt++)
        {
            // Without server-side conditions this is the only guard; a writer that races in between the HEAD and the
            // write replaces the object with the same run (docs/s3-lake.md, "Servers without conditional writes").
            if (_verifyNoOverwrite && await ExistsAsync(objectKey, cancellationToken).ConfigureAwait(false))
            {
                S3LakeLog.AlreadyExists(_logger, _location.Bucket, objectKey, "HeadObject");
                return PutOutcome.AlreadyExists;
            }

            try
            {
                return await WriteAsync(objectKey, content, metadata, conditional: true, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (S3ErrorTranslator.IsPreconditionFailed(e))
            {
                S3LakeLog.AlreadyExists(_logger, _location.Bucket, objectKey, "412 PreconditionFailed");
                return PutOutcome.AlreadyExists;
            }
            catch (AmazonS3Exception e) when (S3ErrorTranslator.IsConditionalConflict(e))
            {
                // 409 says another write of this key was in flight, not that it landed: only an object proves it.
                if (await ExistsAsync(objectKey, cancellationToken).ConfigureAwait(false))
                {
                    S3LakeLog.AlreadyExists(_logger, _location.Bucket, objectKey, "409 " + e.ErrorCode);
                    return PutOutcome.AlreadyExists;
                }

                if (attempt == ConflictAttempts)
                {
                    throw new LakeStoreUnavailableException(
                        _location.Bucket,
                        objectKey,
                        "PutObject",
                        e.ErrorCode,
                        $"{ConflictAttempts} conditional writes conflicted with another write that never produced the object; try again later",
                        e);
                }

                S3LakeLog.ConditionalConflict(_logger, _location.Bucket, objectKey, attempt);
            }
        }
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        await WriteAsync(objectKey, content, metadata: null, conditional: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        var request = new GetObjectRequest { BucketName = _location.Bucket, Key = objectKey };
        try
        {
            return await CallAsync(
                "GetObject",
                objectKey,
                async ct =>
                {
                    GetObjectResponse response;
                    try
                    {
                        response = await _client.GetObjectAsync(request, ct).ConfigureAwait(false);
                    }
                    catch (ArgumentException e)
                    {
                        // The SDK could not make sense of the answer's headers (an ETag that is not hex: seen from
                        // s3rver while the object was being written by another writer). Nothing was read: try again.
                        throw new LakeStoreUnavailableException(_location.Bucket, objectKey, "GetObject", "UnreadableAnswer", e.Message, e);
                    }

                    using (response)
                    {
                        try
                        {
                            return await ReadAllAsync(response, ct).ConfigureAwait(false);
                        }
                        catch (AmazonClientException e)
                        {
                            // The body did not check out as it was read (its checksum did not match: seen from
                            // s3rver answering while another writer was writing the object). Read it again.
                            throw new LakeStoreUnavailableException(_location.Bucket, objectKey, "GetObject", "UnreadableAnswer", e.Message, e);
                        }
                    }
                },
                cancellationToken,
                S3ErrorTranslator.IsMissingObject).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (S3ErrorTranslator.IsMissingObject(e))
        {
            return null;
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CheckListPrefix(prefix);
        var root = _location.Prefix.Length == 0 ? string.Empty : _location.Prefix + "/";
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = root + prefix };
        if (_options.ListPageSize is { } pageSize)
        {
            request.MaxKeys = pageSize;
        }

        do
        {
            var page = await CallAsync("ListObjectsV2", request.Prefix, ct => _client.ListObjectsV2Async(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                // Folder markers ("a/b/") made by consoles and tools are not objects of the lake.
                if (item.Key.Length > root.Length && !item.Key.EndsWith('/') && item.Key.StartsWith(root, StringComparison.Ordinal))
                {
                    yield return item.Key[root.Length..];
                }
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(request.ContinuationToken));
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>The object key of lake key <paramref name="key"/>; refuses keys the local store would refuse too.</summary>
    internal string ObjectKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!S3KeyRules.IsValidRelativeKey(key))
        {
            throw new ArgumentException($"'{key}' is not a valid lake key", nameof(key));
        }

        var objectKey = _location.Prefix.Length == 0 ? key : $"{_location.Prefix}/{key}";
        if (System.Text.Encoding.UTF8.GetByteCount(objectKey) > S3KeyRules.MaxKeyBytes)
        {
            throw new ArgumentException($"'{objectKey}' is longer than S3's {S3KeyRules.MaxKeyBytes} bytes", nameof(key));
        }

        return objectKey;
    }

    private async Task<PutOutcome> WriteAsync(string objectKey, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, bool conditional, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        int parts;
        if (content.Length > _options.MultipartThreshold)
        {
            (var outcome, parts) = await WriteMultipartAsync(objectKey, content, metadata, conditional, cancellationToken).ConfigureAwait(false);
            if (outcome == PutOutcome.AlreadyExists)
            {
                return outcome;
            }
        }
        else
        {
            using var stream = ReadOnlyStream(content);
            var request = new PutObjectRequest
            {
                BucketName = _location.Bucket,
                Key = objectKey,
                InputStream = stream,
                AutoCloseStream = false,

                // s3rver and other simple servers store aws-chunked framing verbatim; one signed body works everywhere.
                UseChunkEncoding = false,
                ContentType = ContentTypeOf(objectKey),
                IfNoneMatch = conditional ? AnyObject : null,
            };
            AddMetadata(request.Metadata, metadata);
            ApplyEncryption(request);
            await CallAsync("PutObject", objectKey, ct => _client.PutObjectAsync(request, ct), cancellationToken, conditional ? IsConditionalAnswer : null).ConfigureAwait(false);
            parts = 1;
        }

        S3LakeLog.Created(_logger, _location.Bucket, objectKey, content.Length, parts, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return PutOutcome.Created;
    }

    /// <summary>
    /// Uploads the parts and completes the upload (conditionally when <paramref name="conditional"/>). The object appears
    /// only at completion; on any failure the upload is aborted so no parts are left behind to pay for.
    /// </summary>
    private async Task<(PutOutcome Outcome, int Parts)> WriteMultipartAsync(
        string objectKey,
        ReadOnlyMemory<byte> content,
        IReadOnlyDictionary<string, string>? metadata,
        bool conditional,
        CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest
        {
            BucketName = _location.Bucket,
            Key = objectKey,
            ContentType = ContentTypeOf(objectKey),
        };
        AddMetadata(initiate.Metadata, metadata);
        ApplyEncryption(initiate);
        var initiated = await CallAsync("CreateMultipartUpload", objectKey, ct => _client.InitiateMultipartUploadAsync(initiate, ct), cancellationToken).ConfigureAwait(false);
        var uploadId = initiated.UploadId;
        try
        {
            var partSize = _options.PartSize;
            var count = (int)((content.Length + partSize - 1) / partSize);
            var etags = new PartETag[count];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.UploadConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (index, ct) =>
            {
                var offset = (int)(index * partSize);
                var slice = content.Slice(offset, (int)Math.Min(partSize, content.Length - offset));
                using var stream = ReadOnlyStream(slice);
                var request = new UploadPartRequest
                {
                    BucketName = _location.Bucket,
                    Key = objectKey,
                    UploadId = uploadId,
                    PartNumber = index + 1,
                    InputStream = stream,
                    PartSize = slice.Length,
                    UseChunkEncoding = false,
                };
                var uploaded = await CallAsync("UploadPart", objectKey, c => _client.UploadPartAsync(request, c), ct).ConfigureAwait(false);
                etags[index] = new PartETag(index + 1, uploaded.ETag);
            }).ConfigureAwait(false);

            // Uploading parts may take a while: look again, so a server without conditions is raced only by the
            // width of one request, not of the whole upload.
            if (conditional && _verifyNoOverwrite && await ExistsAsync(objectKey, cancellationToken).ConfigureAwait(false))
            {
                await AbortAsync(objectKey, uploadId).ConfigureAwait(false);
                S3LakeLog.AlreadyExists(_logger, _location.Bucket, objectKey, "HeadObject before CompleteMultipartUpload");
                return (PutOutcome.AlreadyExists, count);
            }

            var complete = new CompleteMultipartUploadRequest
            {
                BucketName = _location.Bucket,
                Key = objectKey,
                UploadId = uploadId,
                PartETags = [.. etags],
                IfNoneMatch = conditional ? AnyObject : null,
            };
            await CallAsync("CompleteMultipartUpload", objectKey, ct => _client.CompleteMultipartUploadAsync(complete, ct), cancellationToken, conditional ? IsConditionalAnswer : null).ConfigureAwait(false);
            return (PutOutcome.Created, count);
        }
        catch
        {
            await AbortAsync(objectKey, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Best effort, on a token of its own: it also runs when the caller's token is what failed the upload.</summary>
    private async Task AbortAsync(string objectKey, string uploadId)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _timeProvider);
        try
        {
            var request = new AbortMultipartUploadRequest { BucketName = _location.Bucket, Key = objectKey, UploadId = uploadId };
            await _client.AbortMultipartUploadAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonS3Exception or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or OperationCanceledException)
        {
            S3LakeLog.AbortFailed(_logger, e, _location.Bucket, objectKey, uploadId);
        }
    }

    private async Task<bool> ExistsAsync(string objectKey, CancellationToken cancellationToken)
    {
        var request = new GetObjectMetadataRequest { BucketName = _location.Bucket, Key = objectKey };
        try
        {
            await CallAsync("HeadObject", objectKey, ct => _client.GetObjectMetadataAsync(request, ct), cancellationToken, S3ErrorTranslator.IsMissingObject).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (S3ErrorTranslator.IsMissingObject(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Calls the SDK and translates its failures (see <see cref="S3ErrorTranslator"/>), except those
    /// <paramref name="handledByCaller"/> picks, which the caller turns into an outcome.
    /// </summary>
    private async Task<T> CallAsync<T>(string operation, string objectKey, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, Func<Exception, bool>? handledByCaller = null)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (handledByCaller?.Invoke(e) != true
            && S3ErrorTranslator.Translate(e, operation, _location.Bucket, objectKey, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private static bool IsConditionalAnswer(Exception error) =>
        S3ErrorTranslator.IsPreconditionFailed(error) || S3ErrorTranslator.IsConditionalConflict(error);

    private void ApplyEncryption(PutObjectRequest request)
    {
        if (EncryptionMethod() is { } method)
        {
            request.ServerSideEncryptionMethod = method;
            request.ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId();
        }
    }

    private void ApplyEncryption(InitiateMultipartUploadRequest request)
    {
        if (EncryptionMethod() is { } method)
        {
            request.ServerSideEncryptionMethod = method;
            request.ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId();
        }
    }

    private ServerSideEncryptionMethod? EncryptionMethod() =>
        S3Encryption.IsAes256(_options.ServerSideEncryption) ? ServerSideEncryptionMethod.AES256
        : S3Encryption.IsKms(_options.ServerSideEncryption) ? ServerSideEncryptionMethod.AWSKMS
        : null;

    private string? KmsKeyId() => S3Encryption.IsKms(_options.ServerSideEncryption) ? _options.KmsKeyId : null;

    private static void AddMetadata(MetadataCollection target, IReadOnlyDictionary<string, string>? metadata)
    {
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            // The collection adds the x-amz-meta- prefix.
            target[name] = value;
        }
    }

    /// <summary>Metadata travels as HTTP headers: names are lowercase tokens and values printable ASCII, or S3 mangles them.</summary>
    private static void CheckMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
            {
                throw new ArgumentException($"Metadata name '{name}' must be lowercase ASCII letters, digits, '-', '_' or '.'", nameof(metadata));
            }

            if (value is null || !value.All(c => c is >= ' ' and <= '~'))
            {
                throw new ArgumentException($"Metadata '{name}' has a value that is not printable ASCII", nameof(metadata));
            }
        }
    }

    private static void CheckListPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var segments = prefix.Split('/');

        // Every segment but the last is a whole name; the last may be empty (a "folder/") or the start of a name.
        if (prefix.Contains('\\', StringComparison.Ordinal)
            || prefix.Any(char.IsControl)
            || segments[..^1].Any(s => s is "" or "." or "..")
            || segments[^1] is "." or "..")
        {
            throw new ArgumentException($"'{prefix}' is not a valid lake key prefix", nameof(prefix));
        }
    }

    private static string ContentTypeOf(string objectKey) =>
        objectKey.EndsWith(".parquet", StringComparison.Ordinal) ? "application/vnd.apache.parquet"
        : objectKey.EndsWith(".json", StringComparison.Ordinal) ? "application/json"
        : objectKey.EndsWith(".gz", StringComparison.Ordinal) ? "application/gzip"
        : "application/octet-stream";

    /// <summary>A seekable view of the content (the SDK rewinds it to retry), without copying when it is an array.</summary>
    private static MemoryStream ReadOnlyStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    private static async Task<byte[]> ReadAllAsync(GetObjectResponse response, CancellationToken cancellationToken)
    {
        if (response.ContentLength is >= 0 and <= int.MaxValue)
        {
            var bytes = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return bytes;
        }

        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }
}
