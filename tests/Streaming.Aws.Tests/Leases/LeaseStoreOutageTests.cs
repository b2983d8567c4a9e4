using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Streaming.Aws.Leases;
using Streaming.Core.Leases;
using Streaming.TestSupport.Emulators;

namespace Streaming.Aws.Tests.Leases;

/// <summary>
/// Outages against a dynalite of their own (stopping the shared one would break the other tests' tables), with the
/// client built exactly as production builds it: default retries and timeouts.
/// </summary>
[Collection(DynamoDbEmulatorCollection.Name)]
public sealed class LeaseStoreOutageTests
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);

    private static async Task<LeaseStoreUnavailableException> UnavailableQuicklyAsync(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<LeaseStoreUnavailableException>(call);
        Assert.True(watch.Elapsed < Quickly, $"took {watch.Elapsed}: {error.Message}");
        return error;
    }

    [Fact]
    public async Task While_DynamoDB_is_down_every_call_is_unavailable_within_seconds_and_afterwards_the_same_store_works_again()
    {
        await using var stack = new LocalAwsStack();
        var endpoint = await stack.StartDynamoDbAsync(persistent: true);
        var options = new DynamoDbLeaseStoreOptions
        {
            TableName = "outage-leases",
            ServiceUrl = endpoint.ToString(),
            Region = LocalAwsStack.Region,
            TableStatusPollInterval = TimeSpan.FromMilliseconds(100),
        };
        using var client = DynamoDbEmulatorFixture.CreateClient(options);
        using var store = new DynamoDbLeaseStore(client, options);
        await store.EnsureTableAsync(CancellationToken.None);
        var lease = DynamoDbEmulatorFixture.Sample("shardId-000000000000");
        await store.CreateIfAbsentAsync(lease, CancellationToken.None);
        var owned = (await store.TakeAsync(lease, "worker-a", CancellationToken.None)).Updated!;

        await stack.StopAsync(EmulatorKind.DynamoDb);

        var errors = new[]
        {
            await UnavailableQuicklyAsync(() => store.RenewAsync(owned, CancellationToken.None)),
            await UnavailableQuicklyAsync(() => store.CheckpointAsync(owned, ShardPosition.At("1"), new Dictionary<string, string>(), CancellationToken.None)),
            await UnavailableQuicklyAsync(() => store.ReleaseAsync(owned, CancellationToken.None)),
            await UnavailableQuicklyAsync(() => store.TakeAsync(owned, "worker-b", CancellationToken.None)),
            await UnavailableQuicklyAsync(() => store.GetAsync(owned.ShardId, CancellationToken.None)),
            await UnavailableQuicklyAsync(() => store.ListAsync(CancellationToken.None)),
            await UnavailableQuicklyAsync(() => store.CreateIfAbsentAsync(DynamoDbEmulatorFixture.Sample("shardId-000000000001"), CancellationToken.None)),
            await UnavailableQuicklyAsync(() => store.EnsureTableAsync(CancellationToken.None)),
        };
        Assert.All(errors, e =>
        {
            Assert.Contains("outage-leases", e.Message, StringComparison.Ordinal);
            Assert.Contains("ConnectionRefused", e.Message, StringComparison.Ordinal);
        });

        await stack.RestartAsync(EmulatorKind.DynamoDb);

        // Nothing was written during the outage: the owner's renewal at the old counter still goes through.
        var renewed = await store.RenewAsync(owned, CancellationToken.None);
        Assert.Equal(("worker-a", 2L), (renewed.Updated?.Owner, renewed.Updated?.Counter));
        Assert.Single(await store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_is_unavailable_after_the_request_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        var silent = AcceptAndStaySilentAsync(listener);
        var options = new DynamoDbLeaseStoreOptions
        {
            TableName = "silent-leases",
            ServiceUrl = endpoint.ToString(),
            Region = LocalAwsStack.Region,
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            MaxRetries = 1,
        };
        using var client = DynamoDbEmulatorFixture.CreateClient(options);
        using var store = new DynamoDbLeaseStore(client, options);

        var error = await UnavailableQuicklyAsync(() => store.GetAsync("shardId-000000000000", CancellationToken.None));

        Assert.Contains("Timeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("silent-leases", error.Message, StringComparison.Ordinal);
        listener.Stop();
        await silent;
    }

    [Fact]
    public async Task The_callers_own_cancellation_is_not_reported_as_an_outage()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var silent = AcceptAndStaySilentAsync(listener);
        var options = new DynamoDbLeaseStoreOptions
        {
            TableName = "cancelled-leases",
            ServiceUrl = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/",
            Region = LocalAwsStack.Region,
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
        using var client = DynamoDbEmulatorFixture.CreateClient(options);
        using var store = new DynamoDbLeaseStore(client, options);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync("shardId-000000000000", cancel.Token));

        Assert.Equal(cancel.Token, error.CancellationToken);
        listener.Stop();
        await silent;
    }

    /// <summary>Accepts connections and reads nothing, answers nothing, until the listener stops.</summary>
    private static async Task AcceptAndStaySilentAsync(TcpListener listener)
    {
        var held = new List<TcpClient>();
        try
        {
            while (true)
            {
                held.Add(await listener.AcceptTcpClientAsync());
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
        finally
        {
            foreach (var connection in held)
            {
                connection.Dispose();
            }
        }
    }
}
