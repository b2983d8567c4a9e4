using Amazon.S3;
using Amazon.S3.Model;
using Streaming.Core.Backfill;
using Streaming.Core.Decoding;

namespace Streaming.Aws.Input;

/// <summary>
/// One listed S3 object as a <c>convert</c> input. Reads are ranged GETs conditional on the ETag seen in the listing,
/// so an object replaced during the run fails (and is reported) instead of mixing two versions in one lake.
/// </summary>
internal sealed class S3ConvertInput : IConvertInput
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _key;
    private readonly string _etag;

    public S3ConvertInput(IAmazonS3 client, string bucket, string key, string etag, long length, DateTime lastModifiedUtc)
    {
        _client = client;
        _bucket = bucket;
        _key = key;
        _etag = etag;
        Length = length;
        ModifiedMs = new DateTimeOffset(DateTime.SpecifyKind(lastModifiedUtc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
    }

    public string Name => $"s3://{_bucket}/{_key}";

    /// <summary>The key and the ETag: a new version of the object is a new input.</summary>
    public string Identity => $"{Name} etag {_etag}";

    public long? Length { get; }

    public long ModifiedMs { get; }

    public bool CanSeek => true;

    public async Task<Stream> OpenAsync(long offset, CancellationToken cancellationToken)
    {
        if (Length == 0 || offset >= Length)
        {
            return Stream.Null;
        }

        var request = new GetObjectRequest { BucketName = _bucket, Key = _key, EtagToMatch = _etag };
        if (offset > 0)
        {
            request.ByteRange = new ByteRange(offset, Length!.Value - 1);
        }

        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new ResponseStream(response);
        }
        catch (Exception e) when (S3InputErrors.Translate(e, "GetObject", _bucket, _key, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The body, disposing the response with it; read errors stay IOExceptions (transient: the piece is read again).</summary>
    private sealed class ResponseStream : ReadOnlyStream
    {
        private readonly GetObjectResponse _response;

        public ResponseStream(GetObjectResponse response)
            : base(response.ResponseStream)
        {
            _response = response;
        }

        public override int Read(Span<byte> buffer) => Inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Inner.ReadAsync(buffer, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                _response.Dispose();
            }
        }
    }
}
