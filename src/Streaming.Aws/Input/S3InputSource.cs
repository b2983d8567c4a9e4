using Amazon.S3;
using Amazon.S3.Model;
using Streaming.Aws.Storage;
using Streaming.Core.Backfill;

namespace Streaming.Aws.Input;

/// <summary>
/// Lists <c>convert</c>'s S3 inputs: <c>s3://bucket/prefix/</c> is every object under the prefix, <c>s3://bucket/key</c>
/// that one object (or, when no object has that exact key, every object under <c>key/</c>). Objects come back sorted
/// by key, which for Firehose's <c>prefix/YYYY/MM/DD/HH/&lt;stream&gt;-&lt;n&gt;-YYYY-MM-DD-HH-MM-SS-&lt;uuid&gt;</c> names is
/// time order; folder markers (keys ending in <c>/</c>) are left out.
/// </summary>
public sealed class S3InputSource
{
    private readonly IAmazonS3 _client;

    /// <param name="client">Build it with <see cref="S3LakeClientFactory"/>: bounded retries and timeouts, checksums S3-compatible servers accept.</param>
    public S3InputSource(IAmazonS3 client)
    {
        _client = client;
    }

    public static bool IsS3Uri(string value) => S3LakeLocation.IsS3Uri(value);

    /// <summary>The objects <paramref name="uri"/> names, sorted by key (ordinal). Empty when there are none.</summary>
    public async Task<IReadOnlyList<IConvertInput>> ListAsync(string uri, CancellationToken cancellationToken)
    {
        if (!S3LakeLocation.TryParse(uri, out var location))
        {
            throw new ArgumentException($"{uri}: not an S3 location; write s3://bucket/prefix/ or s3://bucket/key", nameof(uri));
        }

        var bucket = location.Bucket;
        var key = location.Prefix;
        if (key.Length > 0 && !uri.EndsWith('/'))
        {
            var exact = await ListPrefixAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            var one = exact.Where(o => o.Key == key).ToList();
            if (one.Count == 1)
            {
                return [ToInput(bucket, one[0])];
            }
        }

        var all = await ListPrefixAsync(bucket, key.Length == 0 ? string.Empty : key + "/", cancellationToken).ConfigureAwait(false);
        return all.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => ToInput(bucket, o)).ToList();
    }

    private IConvertInput ToInput(string bucket, S3Object o) =>
        new S3ConvertInput(_client, bucket, o.Key, o.ETag ?? string.Empty, o.Size ?? 0, o.LastModified ?? DateTime.UnixEpoch);

    private async Task<List<S3Object>> ListPrefixAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (S3InputErrors.Translate(e, "ListObjectsV2", bucket, prefix, cancellationToken) is { } translated)
            {
                throw translated;
            }

            objects.AddRange((page.S3Objects ?? []).Where(o => !o.Key.EndsWith('/')));
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(request.ContinuationToken));

        return objects;
    }
}
