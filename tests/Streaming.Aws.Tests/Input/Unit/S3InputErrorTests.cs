using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Streaming.Aws.Input;
using Streaming.Aws.Storage;
using Streaming.Aws.Tests.Storage;
using Streaming.Aws.Tests.Storage.Unit;
using Streaming.Aws.Tests.Support;
using Streaming.Core.Backfill;
using Streaming.Core.Failures;

namespace Streaming.Aws.Tests.Input.Unit;

/// <summary>How S3's answers to convert's listings and reads become outcomes, through the real SDK pipeline against a stub.</summary>
public sealed class S3InputErrorTests
{
    private const string Listing = """
        <?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>raw</Name><Prefix>fh/</Prefix><KeyCount>3</KeyCount><IsTruncated>false</IsTruncated><Contents><Key>fh/2021/09/16/01/s-1-2021-09-16-01-00-00-b.gz</Key><ETag>"e2"</ETag><Size>10</Size><LastModified>2021-09-16T01:15:00.000Z</LastModified></Contents><Contents><Key>fh/2021/09/16/</Key><Size>0</Size></Contents><Contents><Key>fh/2021/09/16/00/s-1-2021-09-16-00-00-00-a</Key><ETag>"e1"</ETag><Size>20</Size><LastModified>2021-09-16T00:15:00.000Z</LastModified></Contents></ListBucketResult>
        """;

    private static AmazonS3Client Client(StubHttpHandler handler)
    {
        var options = new S3LakeStoreOptions { Bucket = "raw", ServiceUrl = "http://127.0.0.1:9/", Region = "us-east-1", ForcePathStyle = true, MaxRetries = 0 };
        var config = S3LakeClientFactory.CreateConfig(options, _ => null);
        config.HttpClientFactory = new HandlerHttpClientFactory(handler);
        return new AmazonS3Client(new BasicAWSCredentials("test", "test"), config);
    }

    [Fact]
    public async Task A_prefix_lists_its_objects_sorted_by_key_without_folder_markers_with_etag_identities()
    {
        using var client = Client(new StubHttpHandler((_, _) => S3Answers.Xml(Listing)));
        var inputs = await new S3InputSource(client).ListAsync("s3://raw/fh/", CancellationToken.None);
        Assert.Equal(["s3://raw/fh/2021/09/16/00/s-1-2021-09-16-00-00-00-a", "s3://raw/fh/2021/09/16/01/s-1-2021-09-16-01-00-00-b.gz"], inputs.Select(i => i.Name).ToArray());
        Assert.Equal("s3://raw/fh/2021/09/16/00/s-1-2021-09-16-00-00-00-a etag \"e1\"", inputs[0].Identity);
        Assert.Equal(20, inputs[0].Length);
        Assert.Equal(new DateTimeOffset(2021, 9, 16, 0, 15, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), inputs[0].ModifiedMs);
    }

    [Fact]
    public async Task Access_denied_ends_the_run_naming_the_bucket_and_throttling_is_transient()
    {
        using var denied = Client(new StubHttpHandler((_, _) => S3Answers.Error(HttpStatusCode.Forbidden, "AccessDenied")));
        var error = await Assert.ThrowsAsync<S3InputException>(() => new S3InputSource(denied).ListAsync("s3://raw/fh/", CancellationToken.None));
        Assert.Equal(FailureKind.Permanent, FailureClassifier.Classify(error));
        Assert.StartsWith("S3 input: ListObjectsV2 of s3://raw/fh/ failed: AccessDenied", FailureClassifier.Describe(error), StringComparison.Ordinal);
        Assert.Contains("s3:ListBucket", FailureClassifier.Describe(error), StringComparison.Ordinal);

        using var throttled = Client(new StubHttpHandler((_, _) => S3Answers.Error(HttpStatusCode.ServiceUnavailable, "SlowDown")));
        var slow = await Assert.ThrowsAsync<S3InputException>(() => new S3InputSource(throttled).ListAsync("s3://raw/fh/", CancellationToken.None));
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(slow));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey", "the object is gone")]
    [InlineData(HttpStatusCode.PreconditionFailed, "PreconditionFailed", "replaced after it was listed")]
    public async Task An_object_that_vanished_or_changed_fails_that_input_alone(HttpStatusCode status, string code, string reason)
    {
        using var client = Client(new StubHttpHandler((call, _) => call == 1 ? S3Answers.Xml(Listing) : S3Answers.Error(status, code)));
        var input = (await new S3InputSource(client).ListAsync("s3://raw/fh/", CancellationToken.None))[0];
        var error = await Assert.ThrowsAsync<InputUnreadableException>(() => input.OpenAsync(0, CancellationToken.None));
        Assert.Equal("s3://raw/fh/2021/09/16/00/s-1-2021-09-16-00-00-00-a", error.Input);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunk_is_read_with_a_ranged_get_conditional_on_the_listed_etag()
    {
        var handler = new StubHttpHandler((call, _) => call == 1 ? S3Answers.Xml(Listing) : S3Answers.Bytes("bcdefghijklmnopqrst"u8.ToArray()));
        using var client = Client(handler);
        var input = (await new S3InputSource(client).ListAsync("s3://raw/fh/", CancellationToken.None))[0];
        await using (var stream = await input.OpenAsync(1, CancellationToken.None))
        {
            Assert.Equal((byte)'b', (byte)stream.ReadByte());
        }

        var get = handler.Requests[1];
        Assert.Equal("bytes=1-19", get.Headers["Range"]);
        Assert.Equal("\"e1\"", get.Headers["If-Match"]);
    }
}
