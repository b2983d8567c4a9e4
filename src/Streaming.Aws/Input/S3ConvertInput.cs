using Amazon.S3;
using Amazon.S3.Model;
using Streaming.Core.Backfill;

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
    private sealed class ResponseStream : Stream
    {
        private readonly GetObjectResponse _response;
        private readonly Stream _body;

        public ResponseStream(GetObjectResponse response)
        {
            _response = response;
            _body = response.ResponseStream;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => _body.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _body.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _body.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _body.Dispose();
                _response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
