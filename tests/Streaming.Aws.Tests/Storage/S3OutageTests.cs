using System.Diagnostics;
using System.Text;
using Streaming.Aws.Storage;
using Streaming.Core.Lake;
using Streaming.TestSupport.Emulators;

namespace Streaming.Aws.Tests.Storage;

/// <summary>
/// An outage of an s3rver of its own (stopping the shared one would break the other tests), with the client built
/// exactly as production builds it: default retries and timeouts.
/// </summary>
[Collection(S3EmulatorCollection.Name)]
public sealed class S3OutageTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    private static async Task<LakeStoreUnavailableException> UnavailableWithinBoundAsync(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<LakeStoreUnavailableException>(call);
        Assert.True(watch.Elapsed < Bounded, $"took {watch.Elapsed}: {error.Message}");
        return error;
    }

    [Fact]
    public async Task While_S3_is_down_every_call_is_unavailable_within_a_bounded_time_and_afterwards_the_same_store_writes_the_file()
    {
        await using var stack = new LocalAwsStack();
        var endpoint = await stack.StartS3Async(["outage-lake"]);
        var options = new S3LakeStoreOptions
        {
            Bucket = "outage-lake",
            Prefix = "events",
            ServiceUrl = endpoint.ToString(),
            Region = LocalAwsStack.Region,
            ForcePathStyle = true,
        };
        using var store = new S3LakeStore(S3LakeClientFactory.Create(options, S3EmulatorFixture.Credentials), options);
        const string key = "payment/year=2021/month=09/day=16/hour=05/part-outage.parquet";
        var content = Encoding.UTF8.GetBytes("buffered rows");
        Assert.Null(await store.GetAsync(key, CancellationToken.None));

        await stack.StopAsync(EmulatorKind.S3);

        var put = await UnavailableWithinBoundAsync(() => store.PutIfAbsentAsync(key, content, null, CancellationToken.None));
        await UnavailableWithinBoundAsync(() => store.GetAsync(key, CancellationToken.None));
        await UnavailableWithinBoundAsync(async () =>
        {
            await foreach (var _ in store.ListAsync("payment/", CancellationToken.None))
            {
            }
        });
        Assert.Contains("s3://outage-lake/events/" + key, put.Message, StringComparison.Ordinal);
        Assert.Equal("ConnectionRefused", put.ErrorCode);

        await stack.RestartAsync(EmulatorKind.S3);

        Assert.Equal(PutOutcome.Created, await store.PutIfAbsentAsync(key, content, null, CancellationToken.None));
        Assert.Equal(content, await store.GetAsync(key, CancellationToken.None));
    }
}
