using System.Net;
using System.Text;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Tests.Support;

namespace Streaming.Aws.Tests.Kinesis.Unit;

public sealed class KinesisRetryTests
{
    private static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private const string RecordsAnswer = """
        {"Records":[{"Data":"aGVsbG8=","SequenceNumber":"1","PartitionKey":"k","ApproximateArrivalTimestamp":1714566896.123}],
         "NextShardIterator":"next","MillisBehindLatest":0}
        """;

    [Fact]
    public async Task Throttling_is_retried_after_growing_jittered_delays_until_it_succeeds()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var handler = new StubHttpHandler((call, _) => call <= 3
            ? StubHttpHandler.Error(HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException", "Rate exceeded for shard")
            : StubHttpHandler.Json(HttpStatusCode.OK, RecordsAnswer));
        using var client = Create(handler, time, maxRetries: 3);

        var reading = client.GetRecordsAsync("iterator");
        var delays = new List<TimeSpan>();
        for (var retry = 0; retry < 3; retry++)
        {
            var delay = await time.NextTimerAsync(MaxDelay, RealTimeout);
            delays.Add(delay);
            Assert.False(reading.IsCompleted);
            time.Advance(delay);
        }

        var result = await reading.WaitAsync(RealTimeout);

        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(Assert.Single(result.Records).Data.Span));
        Assert.Equal(4, handler.Calls);
        for (var retry = 0; retry < 3; retry++)
        {
            var step = BaseDelay * Math.Pow(2, retry);
            Assert.InRange(delays[retry], step / 2, step);
        }
    }

    [Fact]
    public async Task After_MaxRetries_the_throttling_surfaces_as_Throttled()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var handler = new StubHttpHandler((_, _) =>
            StubHttpHandler.Error(HttpStatusCode.BadRequest, "LimitExceededException", "Too many requests"));
        using var client = Create(handler, time, maxRetries: 2);

        var reading = client.GetRecordsAsync("iterator");
        for (var retry = 0; retry < 2; retry++)
        {
            time.Advance(await time.NextTimerAsync(MaxDelay, RealTimeout));
        }

        var error = await Assert.ThrowsAsync<KinesisException>(() => reading.WaitAsync(RealTimeout));

        Assert.Equal(KinesisErrorKind.Throttled, error.Kind);
        Assert.Equal("LimitExceededException", error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task Server_errors_and_network_failures_are_retried_as_Unavailable()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var handler = new StubHttpHandler((call, _) => call switch
        {
            1 => StubHttpHandler.Error(HttpStatusCode.InternalServerError, "InternalFailure", "oops"),
            2 => throw new HttpRequestException("connection refused", null, HttpStatusCode.ServiceUnavailable),
            3 => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>bad gateway</html>") },
            _ => StubHttpHandler.Json(HttpStatusCode.OK, RecordsAnswer),
        });
        using var client = Create(handler, time, maxRetries: 3);

        var reading = client.GetRecordsAsync("iterator");
        for (var retry = 0; retry < 3; retry++)
        {
            time.Advance(await time.NextTimerAsync(MaxDelay, RealTimeout));
        }

        var result = await reading.WaitAsync(RealTimeout);

        Assert.Single(result.Records);
        Assert.Equal(4, handler.Calls);
    }

    [Fact]
    public async Task A_network_failure_without_retries_left_is_Unavailable()
    {
        var handler = new StubHttpHandler((_, _) => throw new HttpRequestException("connection refused"));
        using var client = Create(handler, new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch), maxRetries: 0);

        var error = await Assert.ThrowsAsync<KinesisException>(() => client.GetRecordsAsync("iterator"));

        Assert.Equal(KinesisErrorKind.Unavailable, error.Kind);
        Assert.Equal("NetworkError", error.ErrorCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task An_answer_cut_short_of_its_length_is_Unavailable_and_read_again()
    {
        const string Answer = """{"Records":[{"Data":"e30=","SequenceNumber":"1","PartitionKey":"k"}],"NextShardIterator":"next","MillisBehindLatest":0}""";
        var handler = new StubHttpHandler((call, _) =>
        {
            var response = StubHttpHandler.Json(HttpStatusCode.OK, Answer);
            if (call <= 2)
            {
                // The connection ends 20 bytes into an answer announced whole (the first call of each client below).
                response.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Answer)[..20]));
                response.Content.Headers.ContentLength = Encoding.UTF8.GetByteCount(Answer);
            }

            return response;
        });
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        using (var once = Create(handler, time, maxRetries: 0))
        {
            var error = await Assert.ThrowsAsync<KinesisException>(() => once.GetRecordsAsync("iterator"));
            Assert.Equal(KinesisErrorKind.Unavailable, error.Kind);
            Assert.Equal("NetworkError", error.ErrorCode);
            Assert.IsAssignableFrom<IOException>(error.InnerException);
        }

        using var client = Create(handler, time, maxRetries: 3);
        var reading = client.GetRecordsAsync("iterator");
        time.Advance(await time.NextTimerAsync(MaxDelay, RealTimeout));
        var result = await reading.WaitAsync(RealTimeout);
        Assert.Equal(3, handler.Calls);
        Assert.Equal("{}", Encoding.UTF8.GetString(Assert.Single(result.Records).Data.Span));
        Assert.Equal("next", result.NextShardIterator);
    }

    [Theory]
    [InlineData("ResourceNotFoundException", KinesisErrorKind.NotFound)]
    [InlineData("ExpiredIteratorException", KinesisErrorKind.IteratorExpired)]
    [InlineData("InvalidArgumentException", KinesisErrorKind.InvalidArgument)]
    [InlineData("AccessDeniedException", KinesisErrorKind.AccessDenied)]
    public async Task Errors_that_a_retry_cannot_fix_fail_at_once(string code, KinesisErrorKind kind)
    {
        var handler = new StubHttpHandler((_, _) => StubHttpHandler.Error(HttpStatusCode.BadRequest, code, "no"));
        using var client = Create(handler, new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch), maxRetries: 5);

        var error = await Assert.ThrowsAsync<KinesisException>(() => client.GetRecordsAsync("iterator")).WaitAsync(RealTimeout);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Cancelling_during_a_backoff_stops_retrying()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var handler = new StubHttpHandler((_, _) =>
            StubHttpHandler.Error(HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException", "slow down"));
        using var client = Create(handler, time, maxRetries: 5);
        using var cancellation = new CancellationTokenSource();

        var reading = client.GetRecordsAsync("iterator", cancellationToken: cancellation.Token);
        await time.NextTimerAsync(MaxDelay, RealTimeout);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(RealTimeout));
        Assert.Equal(1, handler.Calls);
    }

    private static KinesisClient Create(StubHttpHandler handler, TimeProvider time, int maxRetries) => new(
        new KinesisClientOptions
        {
            Region = "eu-west-1",
            ServiceUrl = "http://127.0.0.1:4568",
            AccessKeyId = "AKIDEXAMPLE",
            SecretAccessKey = "secret",
            MaxRetries = maxRetries,
            BaseRetryDelay = BaseDelay,
            MaxRetryDelay = MaxDelay,
            RequestTimeout = TimeSpan.FromMinutes(10),
        },
        new HttpClient(handler),
        time);
}
