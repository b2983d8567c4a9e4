using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Streaming.Aws.Leases;
using Streaming.Core.Leases;
using Streaming.TestSupport.Emulators;

namespace Streaming.Aws.Tests.Leases;

/// <summary>One dynalite for the lease store tests, and one SDK client built the way production builds it.</summary>
public sealed class DynamoDbEmulatorFixture : IAsyncLifetime
{
    private readonly LocalAwsStack _stack = new();

    public LocalAwsStack Stack => _stack;

    public AmazonDynamoDBClient Client { get; private set; } = null!;

    /// <summary>A store on a table shared by the tests that use their own shard ids (see <see cref="UniqueShardId"/>).</summary>
    public DynamoDbLeaseStore Store { get; private set; } = null!;

    /// <summary>Options for <paramref name="tableName"/> on <paramref name="endpoint"/> (this fixture's dynalite by default).</summary>
    public DynamoDbLeaseStoreOptions Options(string tableName, Uri? endpoint = null) => new()
    {
        TableName = tableName,
        ServiceUrl = (endpoint ?? _stack.DynamoDbEndpoint).ToString(),
        Region = LocalAwsStack.Region,
        TableStatusPollInterval = TimeSpan.FromMilliseconds(100),
        TableActiveTimeout = TimeSpan.FromSeconds(20),
    };

    public static AmazonDynamoDBClient CreateClient(DynamoDbLeaseStoreOptions options) =>
        DynamoDbLeaseClientFactory.Create(options, new BasicAWSCredentials("test", "test"));

    public static string UniqueTableName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static string UniqueShardId() => $"shardId-{Guid.NewGuid():N}";

    /// <summary>A store on a new, ACTIVE table of its own.</summary>
    public async Task<DynamoDbLeaseStore> NewStoreAsync(string prefix)
    {
        var store = new DynamoDbLeaseStore(Client, Options(UniqueTableName(prefix)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await store.EnsureTableAsync(timeout.Token);
        return store;
    }

    public static Lease Sample(string shardId, params string[] parents) => Lease.New(shardId, ShardPosition.TrimHorizon, parents);

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await _stack.StartDynamoDbAsync(cancellationToken: timeout.Token);
        Client = CreateClient(Options("unused"));
        Store = new DynamoDbLeaseStore(Client, Options(UniqueTableName("shared")));
        await Store.EnsureTableAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await _stack.DisposeAsync();
    }
}
