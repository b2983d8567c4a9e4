using System.Text;
using Streaming.Aws.Storage;
using Streaming.Core.Lake;

namespace Streaming.Aws.Tests.Storage;

[Collection(S3EmulatorCollection.Name)]
public sealed class S3LakeStoreRoundTripTests
{
    private readonly S3EmulatorFixture _s3;

    public S3LakeStoreRoundTripTests(S3EmulatorFixture s3)
    {
        _s3 = s3;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<List<string>> ListAsync(ILakeStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in store.ListAsync(prefix, CancellationToken.None))
        {
            keys.Add(key);
        }

        return keys;
    }

    [Fact]
    public async Task What_is_put_under_a_lake_key_comes_back_and_lies_under_the_prefix_in_the_bucket()
    {
        using var store = _s3.NewStore("round-trip");
        const string key = "payment/year=2021/month=09/day=16/hour=05/part-a.parquet";

        var outcome = await store.PutIfAbsentAsync(key, Bytes("first file"), null, CancellationToken.None);

        Assert.Equal(PutOutcome.Created, outcome);
        Assert.Equal(Bytes("first file"), await store.GetAsync(key, CancellationToken.None));
        using var raw = await _s3.Client.GetObjectAsync(S3EmulatorFixture.Bucket, $"{store.Location.Prefix}/{key}");
        Assert.Equal("application/vnd.apache.parquet", raw.Headers.ContentType);
        Assert.Equal($"s3://{S3EmulatorFixture.Bucket}/{store.Location.Prefix}", store.Root);
    }

    [Fact]
    public async Task A_missing_key_reads_as_null()
    {
        using var store = _s3.NewStore("missing");

        Assert.Null(await store.GetAsync("payment/nothing-here.parquet", CancellationToken.None));
    }

    [Fact]
    public async Task Listing_returns_lake_keys_under_the_asked_prefix_only_and_never_a_sibling_lakes_keys()
    {
        using var store = _s3.NewStore("list");
        using var sibling = new S3LakeStore(_s3.Client, _s3.Options(store.Location.Prefix + "x"));
        string[] keys =
        [
            "_schemas/payment.json",
            "_schemas/payment/v00001.json",
            "pageview/year=2021/month=09/day=16/hour=05/c.parquet",
            "payment/year=2021/month=09/day=16/hour=05/a.parquet",
            "payment/year=2021/month=09/day=16/hour=06/b.parquet",
        ];
        foreach (var key in keys)
        {
            await store.PutIfAbsentAsync(key, Bytes(key), null, CancellationToken.None);
        }

        await sibling.PutIfAbsentAsync("payment/year=2021/month=09/day=16/hour=05/z.parquet", Bytes("other lake"), null, CancellationToken.None);

        // S3 lists in UTF-8 byte order; s3rver in the order it walks its folders. The port promises no order.
        Assert.Equal(keys, (await ListAsync(store, "")).Order(StringComparer.Ordinal));
        Assert.Equal(keys[3..5], await ListAsync(store, "payment/"));
        Assert.Equal(["_schemas/payment/v00001.json"], await ListAsync(store, "_schemas/payment/"));
        Assert.Equal(["payment/year=2021/month=09/day=16/hour=05/a.parquet"], await ListAsync(store, "payment/year=2021/month=09/day=16/hour=05/"));
        Assert.Equal(keys[3..5], (await ListAsync(store, "pay")).Order(StringComparer.Ordinal));
        Assert.Empty(await ListAsync(store, "session/"));
    }

    [Fact]
    public async Task Listing_follows_continuation_tokens_across_many_pages()
    {
        using var store = _s3.NewStore("pages", o => o.ListPageSize = 7);
        var keys = Enumerable.Range(0, 45).Select(i => $"exercise/year=2021/month=09/day=16/hour=05/part-{i:D3}.parquet").ToList();
        foreach (var key in keys)
        {
            await store.PutIfAbsentAsync(key, Bytes(key), null, CancellationToken.None);
        }

        Assert.Equal(keys, await ListAsync(store, "exercise/"));
    }

    [Fact]
    public async Task Put_replaces_a_convenience_copy()
    {
        using var store = _s3.NewStore("replace");

        await store.PutAsync("_schemas/payment.json", Bytes("""{"version":1}"""), CancellationToken.None);
        await store.PutAsync("_schemas/payment.json", Bytes("""{"version":2}"""), CancellationToken.None);

        Assert.Equal(Bytes("""{"version":2}"""), await store.GetAsync("_schemas/payment.json", CancellationToken.None));
    }

    [Fact]
    public async Task Metadata_is_stored_as_user_metadata_of_the_object()
    {
        using var store = _s3.NewStore("metadata");
        const string key = "payment/year=2021/month=09/day=16/hour=05/part-m.parquet";
        var metadata = new Dictionary<string, string>
        {
            ["rows"] = "1234",
            ["first-source"] = "shardId-000000000000:49590338271490256608559692538361571095921575989136588802:0:0",
            ["schema-version"] = "3",
        };

        await store.PutIfAbsentAsync(key, Bytes("rows"), metadata, CancellationToken.None);

        var head = await _s3.Client.GetObjectMetadataAsync(S3EmulatorFixture.Bucket, $"{store.Location.Prefix}/{key}");
        Assert.Equal("1234", head.Metadata["x-amz-meta-rows"]);
        Assert.Equal(metadata["first-source"], head.Metadata["x-amz-meta-first-source"]);
        Assert.Equal("3", head.Metadata["x-amz-meta-schema-version"]);
        Assert.Equal(4, head.ContentLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/payment/a.parquet")]
    [InlineData("payment//a.parquet")]
    [InlineData("payment/../../escape.parquet")]
    [InlineData("payment/./a.parquet")]
    [InlineData("payment\\a.parquet")]
    public async Task Keys_the_local_store_refuses_are_refused_before_any_request(string key)
    {
        using var store = _s3.NewStore("bad-keys");

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutIfAbsentAsync(key, Bytes("x"), null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync(key, CancellationToken.None));
    }
}
