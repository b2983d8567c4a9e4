using System.Net;
using System.Text;
using Streaming.Aws.Storage;
using Streaming.Aws.Tests.Support;
using Streaming.Core.Lake;

namespace Streaming.Aws.Tests.Storage.Unit;

/// <summary>What the store puts on the wire for create-if-absent, and how it reads S3's conditional answers.</summary>
public sealed class S3ConditionalRequestTests
{
    private const string Key = "payment/year=2021/month=09/day=16/hour=05/part-a.parquet";

    private static readonly byte[] Content = Encoding.UTF8.GetBytes("parquet bytes");

    private static readonly Dictionary<string, string> Metadata = new() { ["rows"] = "12", ["first-source"] = "shardId-000000000000:1:0:0" };

    private static bool Is(CapturedRequest request, HttpMethod method) => request.Method == method;

    [Fact]
    public async Task The_put_carries_if_none_match_star_the_kms_headers_and_the_metadata_in_one_signed_body()
    {
        using var stub = new S3StubbedStore(new StubHttpHandler((_, _) => S3Answers.Ok()), o =>
        {
            o.VerifyNoOverwrite = false;
            o.ServerSideEncryption = "aws:kms";
            o.KmsKeyId = "alias/streaming-lake";
        });

        var outcome = await stub.Store.PutIfAbsentAsync(Key, Content, Metadata, CancellationToken.None);

        Assert.Equal(PutOutcome.Created, outcome);
        var put = Assert.Single(stub.Handler.Requests);
        Assert.Equal(HttpMethod.Put, put.Method);
        Assert.Equal(S3StubbedStore.ObjectPath(Key), Uri.UnescapeDataString(put.Uri.AbsolutePath));
        Assert.Equal("*", put.Headers["If-None-Match"]);
        Assert.Equal("aws:kms", put.Headers["x-amz-server-side-encryption"]);
        Assert.Equal("alias/streaming-lake", put.Headers["x-amz-server-side-encryption-aws-kms-key-id"]);
        Assert.Equal("12", put.Headers["x-amz-meta-rows"]);
        Assert.Equal("shardId-000000000000:1:0:0", put.Headers["x-amz-meta-first-source"]);
        Assert.Equal("application/vnd.apache.parquet", put.Headers["Content-Type"]);
        Assert.Equal(Content, put.Body);

        // No aws-chunked framing and no CRC trailer: a plain body whose SHA-256 is signed, which every server reads.
        Assert.Matches("^[0-9a-f]{64}$", put.Headers["x-amz-content-sha256"]);
        Assert.DoesNotContain(put.Headers.Keys, h => h.StartsWith("x-amz-checksum", StringComparison.OrdinalIgnoreCase) || h.Equals("x-amz-trailer", StringComparison.OrdinalIgnoreCase));
        Assert.False(put.Headers.TryGetValue("Content-Encoding", out var encoding) && encoding.Contains("aws-chunked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SSE_S3_sends_AES256_without_a_key_id_and_None_sends_no_encryption_header()
    {
        using var aes = new S3StubbedStore(new StubHttpHandler((_, _) => S3Answers.Ok()), o => (o.VerifyNoOverwrite, o.ServerSideEncryption) = (false, "AES256"));
        using var none = new S3StubbedStore(new StubHttpHandler((_, _) => S3Answers.Ok()), o => o.VerifyNoOverwrite = false);

        await aes.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None);
        await none.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None);

        var encrypted = Assert.Single(aes.Handler.Requests);
        Assert.Equal("AES256", encrypted.Headers["x-amz-server-side-encryption"]);
        Assert.False(encrypted.Headers.ContainsKey("x-amz-server-side-encryption-aws-kms-key-id"));
        Assert.False(Assert.Single(none.Handler.Requests).Headers.ContainsKey("x-amz-server-side-encryption"));
    }

    [Fact]
    public async Task With_a_configured_endpoint_the_key_is_checked_first_and_an_existing_object_is_not_written_again()
    {
        using var stub = new S3StubbedStore(new StubHttpHandler((_, r) => Is(r, HttpMethod.Head) ? S3Answers.Ok() : throw new InvalidOperationException("no write expected")));
        Assert.True(stub.Store.VerifiesNoOverwrite);

        var outcome = await stub.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None);

        Assert.Equal(PutOutcome.AlreadyExists, outcome);
        var head = Assert.Single(stub.Handler.Requests);
        Assert.Equal((HttpMethod.Head, S3StubbedStore.ObjectPath(Key)), (head.Method, Uri.UnescapeDataString(head.Uri.AbsolutePath)));
    }

    [Fact]
    public async Task A_free_key_is_checked_then_written_conditionally()
    {
        using var stub = new S3StubbedStore(new StubHttpHandler((_, r) => Is(r, HttpMethod.Head) ? S3Answers.HeadNotFound() : S3Answers.Ok()));

        var outcome = await stub.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None);

        Assert.Equal(PutOutcome.Created, outcome);
        Assert.Equal([HttpMethod.Head, HttpMethod.Put], stub.Handler.Requests.Select(r => r.Method));
        Assert.Equal("*", stub.Handler.Requests[1].Headers["If-None-Match"]);
    }

    [Fact]
    public async Task Precondition_failed_means_the_object_already_exists()
    {
        using var stub = new S3StubbedStore(
            new StubHttpHandler((_, _) => S3Answers.Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")),
            o => o.VerifyNoOverwrite = false);

        Assert.Equal(PutOutcome.AlreadyExists, await stub.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None));
        Assert.Single(stub.Handler.Requests);
    }

    [Fact]
    public async Task A_conflict_is_already_exists_only_when_the_object_is_there()
    {
        using var stub = new S3StubbedStore(
            new StubHttpHandler((_, r) => Is(r, HttpMethod.Head) ? S3Answers.Ok() : S3Answers.Error(HttpStatusCode.Conflict, "ConditionalRequestConflict")),
            o => o.VerifyNoOverwrite = false);

        Assert.Equal(PutOutcome.AlreadyExists, await stub.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None));
        Assert.Equal([HttpMethod.Put, HttpMethod.Head], stub.Handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task A_conflict_with_a_write_that_never_landed_is_written_again()
    {
        var puts = 0;
        using var stub = new S3StubbedStore(
            new StubHttpHandler((_, r) => Is(r, HttpMethod.Head) ? S3Answers.HeadNotFound()
                : Interlocked.Increment(ref puts) == 1 ? S3Answers.Error(HttpStatusCode.Conflict, "ConditionalRequestConflict")
                : S3Answers.Ok()),
            o => o.VerifyNoOverwrite = false);

        Assert.Equal(PutOutcome.Created, await stub.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None));
        Assert.Equal([HttpMethod.Put, HttpMethod.Head, HttpMethod.Put], stub.Handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Conflicts_that_never_resolve_end_as_unavailable()
    {
        using var stub = new S3StubbedStore(
            new StubHttpHandler((_, r) => Is(r, HttpMethod.Head) ? S3Answers.HeadNotFound() : S3Answers.Error(HttpStatusCode.Conflict, "ConditionalRequestConflict")),
            o => o.VerifyNoOverwrite = false);

        var error = await Assert.ThrowsAsync<LakeStoreUnavailableException>(() => stub.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None));

        Assert.Equal("ConditionalRequestConflict", error.ErrorCode);
        Assert.Equal(3, stub.Handler.Requests.Count(r => r.Method == HttpMethod.Put));
    }

    [Fact]
    public async Task Put_replaces_without_a_condition_and_without_a_check()
    {
        using var stub = new S3StubbedStore(new StubHttpHandler((_, _) => S3Answers.Ok()));

        await stub.Store.PutAsync("_schemas/payment.json", Content, CancellationToken.None);

        var put = Assert.Single(stub.Handler.Requests);
        Assert.Equal(HttpMethod.Put, put.Method);
        Assert.False(put.Headers.ContainsKey("If-None-Match"));
        Assert.Equal("application/json", put.Headers["Content-Type"]);
    }
}
