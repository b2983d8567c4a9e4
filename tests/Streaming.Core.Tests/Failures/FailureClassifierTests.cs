using Streaming.Core.Consumer;
using Streaming.Core.Failures;
using Streaming.Core.Leases;
using Streaming.Core.Schema;

namespace Streaming.Core.Tests.Failures;

public sealed class FailureClassifierTests
{
    private sealed class Classified(bool transient) : Exception("the bucket answered NoSuchBucket"), IClassifiedFailure
    {
        public bool IsTransient => transient;

        public string Resource => "S3 lake s3://gone";

        public string Fix => "create the bucket";
    }

    public static TheoryData<Exception, FailureKind> Cases() => new()
    {
        { new Classified(transient: true), FailureKind.Transient },
        { new Classified(transient: false), FailureKind.Permanent },
        { new LeaseStoreUnavailableException("down"), FailureKind.Transient },
        { new StreamThrottledException("slow"), FailureKind.Transient },
        { new IOException("disk busy"), FailureKind.Transient },
        { new TimeoutException(), FailureKind.Transient },
        { new LeaseLostException("s1"), FailureKind.LeaseLost },
        { new SchemaConflictException("keeps changing"), FailureKind.Permanent },
        { new InvalidDataException("corrupt schema"), FailureKind.Permanent },
        { new UnauthorizedAccessException("read-only"), FailureKind.Permanent },
        { new ArgumentException("a bug"), FailureKind.Permanent },
        { new AggregateException(new LeaseStoreUnavailableException("down")), FailureKind.Transient },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_failure_has_one_meaning(Exception error, FailureKind kind) => Assert.Equal(kind, FailureClassifier.Classify(error));

    [Fact]
    public void A_cancellation_the_caller_asked_for_is_a_stop_and_one_it_did_not_is_a_timeout()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Equal(FailureKind.Cancelled, FailureClassifier.Classify(new OperationCanceledException(cancelled.Token), cancelled.Token));
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new OperationCanceledException(), CancellationToken.None));
    }

    [Fact]
    public void The_line_for_a_person_names_the_resource_the_error_and_the_fix_on_one_line()
    {
        var line = FailureClassifier.Describe(new Classified(transient: false));
        Assert.Equal("S3 lake s3://gone: the bucket answered NoSuchBucket; create the bucket", line);
        Assert.DoesNotContain('\n', FailureClassifier.Describe(new InvalidDataException("line one\nline two")));
    }

    [Fact]
    public async Task The_retry_policy_retries_only_what_is_transient()
    {
        var policy = new RetryPolicy(TimeProvider.System, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2));
        var calls = 0;
        await policy.ExecuteAsync(_ => ++calls < 3 ? throw new IOException("busy") : Task.CompletedTask, null, CancellationToken.None);
        Assert.Equal(3, calls);

        calls = 0;
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => policy.ExecuteAsync(_ => { calls++; throw new UnauthorizedAccessException(); }, null, CancellationToken.None));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Readiness_follows_the_lease_table_and_the_lake_and_a_failure_is_final()
    {
        var health = new WorkerHealth();
        Assert.False(health.IsReady(out var reason));
        Assert.Contains("joined", reason, StringComparison.Ordinal);
        health.LeaseTableAnswered(joined: true);
        Assert.True(health.IsReady(out _));
        health.LakeFailed("S3 lake s3://b: SlowDown");
        Assert.False(health.IsReady(out reason));
        Assert.Contains("SlowDown", reason, StringComparison.Ordinal);
        health.LakeAnswered();
        health.LeaseTableFailed("RenewLease timed out");
        Assert.False(health.IsReady(out _));
        health.LeaseTableAnswered();
        Assert.True(health.IsReady(out _));
        Assert.True(health.Fail("lease table gone"));
        Assert.False(health.Fail("a consequence"));
        health.LeaseTableAnswered();
        Assert.False(health.IsReady(out reason));
        Assert.Contains("lease table gone", reason, StringComparison.Ordinal);
    }
}
