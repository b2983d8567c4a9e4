using System.Net;
using System.Text;
using Streaming.Aws.Storage;
using Streaming.Aws.Tests.Support;

namespace Streaming.Aws.Tests.Storage.Unit;

/// <summary>Reads, listings and the translation of S3's errors, through the real SDK pipeline against a stub.</summary>
public sealed class S3ReadAndErrorTests
{
    private const string Key = "payment/year=2021/month=09/day=16/hour=05/part-a.parquet";

    [Fact]
    public async Task No_such_key_reads_as_null_but_no_such_bucket_is_a_configuration_error()
    {
        using var missingKey = new S3StubbedStore(new StubHttpHandler((_, _) => S3Answers.Error(HttpStatusCode.NotFound, "NoSuchKey")));
        using var missingBucket = new S3StubbedStore(new StubHttpHandler((_, _) => S3Answers.Error(HttpStatusCode.NotFound, "NoSuchBucket")));

        Assert.Null(await missingKey.Store.GetAsync(Key, CancellationToken.None));
        var error = await Assert.ThrowsAsync<LakeStoreConfigurationException>(() => missingBucket.Store.GetAsync(Key, CancellationToken.None));
        Assert.Equal("NoSuchBucket", error.ErrorCode);
        Assert.Contains("Streaming:S3:Bucket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_returns_the_body()
    {
        var content = Encoding.UTF8.GetBytes("some parquet");
        using var stub = new S3StubbedStore(new StubHttpHandler((_, _) => S3Answers.Bytes(content)));

        Assert.Equal(content, await stub.Store.GetAsync(Key, CancellationToken.None));
        Assert.Equal(S3StubbedStore.ObjectPath(Key), Uri.UnescapeDataString(Assert.Single(stub.Handler.Requests).Uri.AbsolutePath));
    }

    [Fact]
    public async Task Listing_follows_the_continuation_token_and_returns_keys_relative_to_the_lake_root()
    {
        const string page1 = """
            <?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>stub-lake</Name><Prefix>events/payment/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>token-2</NextContinuationToken><Contents><Key>events/payment/a.parquet</Key><Size>1</Size></Contents><Contents><Key>events/payment/folder/</Key><Size>0</Size></Contents></ListBucketResult>
            """;
        const string page2 = """
            <?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>stub-lake</Name><Prefix>events/payment/</Prefix><KeyCount>1</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>events/payment/b.parquet</Key><Size>1</Size></Contents></ListBucketResult>
            """;
        using var stub = new S3StubbedStore(new StubHttpHandler((call, _) => S3Answers.Xml(call == 1 ? page1 : page2)), o => o.ListPageSize = 2);

        var keys = new List<string>();
        await foreach (var key in stub.Store.ListAsync("payment/", CancellationToken.None))
        {
            keys.Add(key);
        }

        Assert.Equal(["payment/a.parquet", "payment/b.parquet"], keys);
        var requests = stub.Handler.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Contains("list-type=2", r.Uri.Query, StringComparison.Ordinal));
        Assert.Contains("prefix=events%2Fpayment%2F", requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("max-keys=2", requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("continuation-token", requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("continuation-token=token-2", requests[1].Uri.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown")]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable")]
    public async Task Throttling_and_server_errors_are_retried_then_unavailable_naming_bucket_and_key(HttpStatusCode status, string code)
    {
        using var stub = new S3StubbedStore(new StubHttpHandler((_, _) => S3Answers.Error(status, code)), o => (o.MaxRetries, o.VerifyNoOverwrite) = (1, false));

        var error = await Assert.ThrowsAsync<LakeStoreUnavailableException>(() => stub.Store.PutIfAbsentAsync(Key, new byte[10], null, CancellationToken.None));

        Assert.Equal(2, stub.Handler.Calls);
        Assert.Equal(("PutObject", code, S3StubbedStore.Bucket, $"{S3StubbedStore.Prefix}/{Key}"), (error.Operation, error.ErrorCode, error.Bucket, error.Key));
        Assert.Contains($"s3://{S3StubbedStore.Bucket}/{S3StubbedStore.Prefix}/{Key}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied")]
    [InlineData(HttpStatusCode.Forbidden, "InvalidAccessKeyId")]
    [InlineData(HttpStatusCode.BadRequest, "KMS.NotFoundException")]
    public async Task Refusals_that_waiting_will_not_fix_are_configuration_errors_and_not_retried(HttpStatusCode status, string code)
    {
        using var stub = new S3StubbedStore(new StubHttpHandler((_, _) => S3Answers.Error(status, code)), o => (o.MaxRetries, o.VerifyNoOverwrite) = (3, false));

        var error = await Assert.ThrowsAsync<LakeStoreConfigurationException>(() => stub.Store.PutIfAbsentAsync(Key, new byte[10], null, CancellationToken.None));

        Assert.Equal(1, stub.Handler.Calls);
        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task The_callers_own_cancellation_is_not_reported_as_an_outage()
    {
        using var cancel = new CancellationTokenSource();
        using var stub = new S3StubbedStore(new StubHttpHandler((_, _) =>
        {
            cancel.Cancel();
            throw new TaskCanceledException();
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stub.Store.GetAsync(Key, cancel.Token));
    }
}
