using System.Text;
using Streaming.Aws.Storage;
using Streaming.Core.Lake;

namespace Streaming.Aws.Tests.Storage;

[Collection(S3EmulatorCollection.Name)]
public sealed class S3ConditionalWriteTests
{
    private const string Key = "payment/year=2021/month=09/day=16/hour=05/part-shardId-000000000000-1-0-0.parquet";

    private readonly S3EmulatorFixture _s3;

    public S3ConditionalWriteTests(S3EmulatorFixture s3)
    {
        _s3 = s3;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task A_second_create_of_the_same_key_is_a_no_op_and_the_first_content_stays()
    {
        using var store = _s3.NewStore("twice");
        Assert.True(store.VerifiesNoOverwrite);

        var first = await store.PutIfAbsentAsync(Key, Bytes("first attempt"), new Dictionary<string, string> { ["rows"] = "1" }, CancellationToken.None);
        var second = await store.PutIfAbsentAsync(Key, Bytes("second attempt, other bytes"), new Dictionary<string, string> { ["rows"] = "2" }, CancellationToken.None);

        Assert.Equal((PutOutcome.Created, PutOutcome.AlreadyExists), (first, second));
        Assert.Equal(Bytes("first attempt"), await store.GetAsync(Key, CancellationToken.None));
        var head = await _s3.Client.GetObjectMetadataAsync(S3EmulatorFixture.Bucket, $"{store.Location.Prefix}/{Key}");
        Assert.Equal("1", head.Metadata["x-amz-meta-rows"]);
    }

    [Fact]
    public async Task Two_stores_racing_to_create_the_same_keys_leave_one_object_each()
    {
        using var a = _s3.NewStore("race");
        using var b = new S3LakeStore(_s3.Client, _s3.Options(a.Location.Prefix));
        var keys = Enumerable.Range(0, 10).Select(i => $"payment/year=2021/month=09/day=16/hour=05/part-{i}.parquet").ToList();

        var outcomes = await Task.WhenAll(keys.SelectMany(k => new[]
        {
            a.PutIfAbsentAsync(k, Bytes(k), null, CancellationToken.None),
            b.PutIfAbsentAsync(k, Bytes(k), null, CancellationToken.None),
        }));

        // Without server-side conditions both may pass the HEAD; the same run then lands twice under one name, never
        // as two objects and never as a mix. With conditions exactly one of each pair would say Created.
        Assert.InRange(outcomes.Count(o => o == PutOutcome.Created), keys.Count, 2 * keys.Count);
        foreach (var key in keys)
        {
            Assert.Equal(Bytes(key), await a.GetAsync(key, CancellationToken.None));
        }
    }

    /// <summary>
    /// Pins what the emulator does, which is why <see cref="S3LakeStoreOptions.VerifyNoOverwrite"/> exists: s3rver
    /// 3.7.1 accepts <c>If-None-Match: *</c> on PutObject and overwrites anyway. If this starts failing, the emulator
    /// learned conditional writes and the HEAD check can be dropped for it.
    /// </summary>
    [Fact]
    public async Task S3rver_ignores_if_none_match_so_without_the_head_check_a_second_create_overwrites()
    {
        using var store = _s3.NewStore("no-head", o => o.VerifyNoOverwrite = false);
        Assert.False(store.VerifiesNoOverwrite);

        var first = await store.PutIfAbsentAsync(Key, Bytes("first attempt"), null, CancellationToken.None);
        var second = await store.PutIfAbsentAsync(Key, Bytes("second attempt"), null, CancellationToken.None);

        Assert.Equal((PutOutcome.Created, PutOutcome.Created), (first, second));
        Assert.Equal(Bytes("second attempt"), await store.GetAsync(Key, CancellationToken.None));
    }
}
