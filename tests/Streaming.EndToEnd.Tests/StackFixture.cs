using Streaming.Aws.Kinesis;
using Streaming.Aws.Leases;
using Streaming.TestSupport.Emulators;

namespace Streaming.EndToEnd.Tests;

/// <summary>One kinesis-local and one dynalite for the end-to-end tests; each test uses its own stream, lease table and lake.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    public const string Bucket = "lake";

    public LocalAwsStack Stack { get; } = new();

    public KinesisClient Kinesis { get; private set; } = null!;

    public KinesisClientOptions KinesisOptions() => new()
    {
        ServiceUrl = Stack.KinesisEndpoint.ToString(),
        Region = LocalAwsStack.Region,
        AccessKeyId = LocalAwsStack.AccessKeyId,
        SecretAccessKey = LocalAwsStack.SecretAccessKey,
        StatusPollInterval = TimeSpan.FromMilliseconds(100),
    };

    public DynamoDbLeaseStore LeaseStore(string table) => new(
        DynamoDbLeaseClientFactory.Create(
            new DynamoDbLeaseStoreOptions { TableName = table, ServiceUrl = Stack.DynamoDbEndpoint.ToString(), Region = LocalAwsStack.Region },
            new Amazon.Runtime.BasicAWSCredentials(LocalAwsStack.AccessKeyId, LocalAwsStack.SecretAccessKey)),
        new DynamoDbLeaseStoreOptions { TableName = table, ServiceUrl = Stack.DynamoDbEndpoint.ToString(), Region = LocalAwsStack.Region });

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await Stack.StartKinesisAsync(cancellationToken: timeout.Token);
        await Stack.StartDynamoDbAsync(cancellationToken: timeout.Token);
        await Stack.StartS3Async([Bucket], timeout.Token);
        Kinesis = new KinesisClient(KinesisOptions());
    }

    public async Task DisposeAsync()
    {
        Kinesis?.Dispose();
        await Stack.DisposeAsync();
    }
}
