using Streaming.Aws.Storage;
using Streaming.Core.Lake;

namespace Streaming.Aws.Tests.Storage;

[Collection(S3EmulatorCollection.Name)]
public sealed class S3MultipartTests
{
    private const string Key = "pageview/year=2021/month=09/day=16/hour=05/part-big.parquet";

    private readonly S3EmulatorFixture _s3;

    public S3MultipartTests(S3EmulatorFixture s3)
    {
        _s3 = s3;
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task An_object_above_the_threshold_goes_up_in_parts_and_comes_back_byte_for_byte()
    {
        using var recorder = new S3RequestRecorder();
        using var store = _s3.NewStore("multipart", recorder, o =>
        {
            o.MultipartThreshold = 5 * S3LakeStoreOptions.MiB;
            o.PartSize = 5 * S3LakeStoreOptions.MiB;
        });
        var content = RandomBytes(12 * 1024 * 1024 + 17, seed: 1);

        // A slice of a larger array: the parts must be cut from the slice, not from the array.
        var padded = new byte[content.Length + 100];
        content.CopyTo(padded, 50);
        var outcome = await store.PutIfAbsentAsync(Key, padded.AsMemory(50, content.Length), new Dictionary<string, string> { ["rows"] = "99" }, CancellationToken.None);

        Assert.Equal(PutOutcome.Created, outcome);
        var back = await store.GetAsync(Key, CancellationToken.None);
        Assert.NotNull(back);
        Assert.True(content.AsSpan().SequenceEqual(back), "the object differs from what was uploaded");
        var head = await _s3.Client.GetObjectMetadataAsync(S3EmulatorFixture.Bucket, $"{store.Location.Prefix}/{Key}");
        Assert.Equal(content.Length, head.ContentLength);
        Assert.Equal("99", head.Metadata["x-amz-meta-rows"]);
        var requests = recorder.Requests;
        Assert.Single(requests, r => r.StartsWith("POST ", StringComparison.Ordinal) && r.EndsWith("?uploads", StringComparison.Ordinal));
        Assert.Equal(3, requests.Count(r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains("partNumber=", StringComparison.Ordinal)));
        Assert.Single(requests, r => r.StartsWith("POST ", StringComparison.Ordinal) && r.Contains("uploadId=", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.StartsWith("PUT ", StringComparison.Ordinal) && !r.Contains('?', StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_multipart_create_of_the_same_key_is_a_no_op()
    {
        using var store = _s3.NewStore("multipart-twice", o => o.MultipartThreshold = 5 * S3LakeStoreOptions.MiB);
        var first = RandomBytes(6 * 1024 * 1024, seed: 2);

        Assert.Equal(PutOutcome.Created, await store.PutIfAbsentAsync(Key, first, null, CancellationToken.None));
        Assert.Equal(PutOutcome.AlreadyExists, await store.PutIfAbsentAsync(Key, RandomBytes(6 * 1024 * 1024, seed: 3), null, CancellationToken.None));

        Assert.Equal(first, await store.GetAsync(Key, CancellationToken.None));
    }
}
