using System.Net;
using Streaming.Aws.Storage;
using Streaming.Aws.Tests.Support;
using Streaming.Core.Lake;

namespace Streaming.Aws.Tests.Storage.Unit;

/// <summary>The multipart path on the wire: conditional completion, and an abort whenever the upload does not complete.</summary>
public sealed class S3MultipartRequestTests
{
    private const string Key = "pageview/year=2021/month=09/day=16/hour=05/part-big.parquet";

    private static readonly byte[] Content = new byte[(11 * 1024 * 1024) + 3];

    private static void Configure(S3LakeStoreOptions options)
    {
        options.VerifyNoOverwrite = false;
        options.MultipartThreshold = 5 * S3LakeStoreOptions.MiB;
        options.PartSize = 5 * S3LakeStoreOptions.MiB;
        options.UploadConcurrency = 1;
        options.ServerSideEncryption = "AES256";
    }

    private static bool IsInitiate(CapturedRequest r) => r.Method == HttpMethod.Post && r.Uri.Query.Contains("uploads", StringComparison.Ordinal) && !r.Uri.Query.Contains("uploadId", StringComparison.Ordinal);

    private static bool IsPart(CapturedRequest r) => r.Method == HttpMethod.Put && r.Uri.Query.Contains("partNumber=", StringComparison.Ordinal);

    private static bool IsComplete(CapturedRequest r) => r.Method == HttpMethod.Post && r.Uri.Query.Contains("uploadId=up-1", StringComparison.Ordinal);

    private static bool IsAbort(CapturedRequest r) => r.Method == HttpMethod.Delete && r.Uri.Query.Contains("uploadId=up-1", StringComparison.Ordinal);

    private static HttpResponseMessage Answer(CapturedRequest r, Func<CapturedRequest, HttpResponseMessage?>? overrides = null) =>
        overrides?.Invoke(r)
        ?? (IsInitiate(r) ? S3Answers.Initiated("up-1")
            : IsPart(r) ? S3Answers.Ok($"\"etag-{r.Body.Length}\"")
            : IsComplete(r) ? S3Answers.Completed()
            : IsAbort(r) ? S3Answers.NoContent()
            : throw new InvalidOperationException($"unexpected {r.Method} {r.Uri}"));

    [Fact]
    public async Task Parts_are_cut_at_the_part_size_and_the_completion_carries_if_none_match_star()
    {
        using var stub = new S3StubbedStore(new StubHttpHandler((_, r) => Answer(r)), Configure);

        var outcome = await stub.Store.PutIfAbsentAsync(Key, Content, new Dictionary<string, string> { ["rows"] = "7" }, CancellationToken.None);

        Assert.Equal(PutOutcome.Created, outcome);
        var requests = stub.Handler.Requests;
        var initiate = Assert.Single(requests, IsInitiate);
        Assert.Equal("AES256", initiate.Headers["x-amz-server-side-encryption"]);
        Assert.Equal("7", initiate.Headers["x-amz-meta-rows"]);
        Assert.Equal([5 * 1024 * 1024, 5 * 1024 * 1024, (1024 * 1024) + 3], requests.Where(IsPart).Select(r => r.Body.Length));
        var complete = Assert.Single(requests, IsComplete);
        Assert.Equal("*", complete.Headers["If-None-Match"]);
        var body = System.Text.Encoding.UTF8.GetString(complete.Body);
        Assert.Contains("<PartNumber>3</PartNumber>", body, StringComparison.Ordinal);
        Assert.Contains("etag-1048579", body, StringComparison.Ordinal);
        Assert.DoesNotContain(requests, IsAbort);
        Assert.DoesNotContain(requests, r => r.Method == HttpMethod.Put && !IsPart(r));
    }

    [Fact]
    public async Task A_completion_refused_by_the_condition_aborts_the_upload_and_means_already_exists()
    {
        using var stub = new S3StubbedStore(
            new StubHttpHandler((_, r) => Answer(r, x => IsComplete(x) ? S3Answers.Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed") : null)),
            Configure);

        var outcome = await stub.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None);

        Assert.Equal(PutOutcome.AlreadyExists, outcome);
        Assert.Single(stub.Handler.Requests, IsAbort);
    }

    [Fact]
    public async Task A_part_that_keeps_failing_aborts_the_upload_and_reports_unavailable_naming_bucket_and_key()
    {
        using var stub = new S3StubbedStore(
            new StubHttpHandler((_, r) => Answer(r, x => IsPart(x) && x.Uri.Query.Contains("partNumber=2", StringComparison.Ordinal) ? S3Answers.Error(HttpStatusCode.ServiceUnavailable, "SlowDown") : null)),
            Configure);

        var error = await Assert.ThrowsAsync<LakeStoreUnavailableException>(() => stub.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None));

        Assert.Equal(("UploadPart", "SlowDown"), (error.Operation, error.ErrorCode));
        Assert.Contains($"s3://{S3StubbedStore.Bucket}/{S3StubbedStore.Prefix}/{Key}", error.Message, StringComparison.Ordinal);
        Assert.Single(stub.Handler.Requests, IsAbort);
        Assert.DoesNotContain(stub.Handler.Requests, IsComplete);
    }

    [Fact]
    public async Task An_abort_that_fails_too_does_not_hide_the_original_failure()
    {
        using var stub = new S3StubbedStore(
            new StubHttpHandler((_, r) => Answer(r, x =>
                IsComplete(x) ? S3Answers.Error(HttpStatusCode.InternalServerError, "InternalError")
                : IsAbort(x) ? S3Answers.Error(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed")
                : null)),
            Configure);

        var error = await Assert.ThrowsAsync<LakeStoreUnavailableException>(() => stub.Store.PutIfAbsentAsync(Key, Content, null, CancellationToken.None));

        Assert.Equal(("CompleteMultipartUpload", "InternalError"), (error.Operation, error.ErrorCode));
    }
}
