using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Aws.Leases.Internal;
using Streaming.Core.Leases;

namespace Streaming.Aws.Leases;

/// <summary>
/// <see cref="ILeaseStore"/> on a DynamoDB table with one item per shard (docs/lease-table.md). Every write but
/// creation is an UpdateItem conditional on the stored counter (and, for the owner's own writes, the owner), so
/// two workers can never both believe a write went through; nothing here reads a clock to decide ownership.
/// </summary>
public sealed class DynamoDbLeaseStore : ILeaseStore, IDisposable
{
    private const string ExpectedCounter = "#counter = :expected";
    private const string ExpectedCounterAndOwner = "#counter = :expected AND #owner = :owner";

    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly DynamoDbLeaseStoreOptions _options;
    private readonly string _tableName;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>A store with its own client built by <see cref="DynamoDbLeaseClientFactory"/> (default credential chain).</summary>
    public DynamoDbLeaseStore(DynamoDbLeaseStoreOptions options, TimeProvider? timeProvider = null, ILogger<DynamoDbLeaseStore>? logger = null)
        : this(DynamoDbLeaseClientFactory.Create(options), ownsClient: true, options, timeProvider, logger)
    {
    }

    /// <summary>A store on a client the caller owns and may share; build it with <see cref="DynamoDbLeaseClientFactory"/> for sane retries and timeouts.</summary>
    public DynamoDbLeaseStore(IAmazonDynamoDB client, DynamoDbLeaseStoreOptions options, TimeProvider? timeProvider = null, ILogger<DynamoDbLeaseStore>? logger = null)
        : this(client, ownsClient: false, options, timeProvider, logger)
    {
    }

    private DynamoDbLeaseStore(IAmazonDynamoDB client, bool ownsClient, DynamoDbLeaseStoreOptions options, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        _tableName = options.TableName;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public string TableName => _tableName;

    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var description = await DescribeAsync(cancellationToken).ConfigureAwait(false);
        if (description is null)
        {
            LeaseStoreLog.CreatingTable(_logger, _tableName);
            try
            {
                var created = await CallAsync("CreateTable", ct => _client.CreateTableAsync(CreateTableRequest(), ct), cancellationToken).ConfigureAwait(false);
                description = created.TableDescription;
            }
            catch (LeaseStoreConfigurationException e) when (e.InnerException is ResourceInUseException)
            {
                // Another worker created it between our DescribeTable and CreateTable: wait for theirs.
                LeaseStoreLog.CreatedConcurrently(_logger, _tableName);
            }
        }

        var waited = false;
        while (description?.TableStatus != TableStatus.ACTIVE)
        {
            waited = true;
            if (_timeProvider.GetElapsedTime(started) >= _options.TableActiveTimeout)
            {
                throw new LeaseStoreUnavailableException(
                    $"Lease table '{_tableName}' unavailable: not ACTIVE after {_options.TableActiveTimeout} (last status: {description?.TableStatus?.Value ?? "not found"})");
            }

            await Task.Delay(_options.TableStatusPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);

            // CreateTable is eventually consistent: right after it, DescribeTable may still answer not found.
            description = await DescribeAsync(cancellationToken).ConfigureAwait(false);
        }

        CheckKeySchema(description);
        if (waited)
        {
            LeaseStoreLog.TableActive(_logger, _tableName, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    public async Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken)
    {
        var leases = new List<Lease>();
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var request = new ScanRequest
            {
                TableName = _tableName,
                ConsistentRead = true,
                ExclusiveStartKey = startKey,
                Limit = _options.ScanPageSize,
            };
            var page = await CallAsync("Scan", ct => _client.ScanAsync(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items ?? [])
            {
                leases.Add(LeaseItem.FromItem(item, _tableName, "Scan"));
            }

            startKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (startKey is not null);

        return leases;
    }

    public async Task<Lease?> GetAsync(string shardId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(shardId);
        var request = new GetItemRequest
        {
            TableName = _tableName,
            Key = LeaseItem.Key(shardId),
            ConsistentRead = true,
        };
        var response = await CallAsync("GetItem", ct => _client.GetItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? LeaseItem.FromItem(item, _tableName, "GetItem") : null;
    }

    public async Task<bool> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken)
    {
        CheckLease(lease);
        var request = new PutItemRequest
        {
            TableName = _tableName,
            Item = LeaseItem.ToItem(lease, _timeProvider.GetUtcNow()),
            ConditionExpression = "attribute_not_exists(#shard_id)",
            ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#shard_id"] = LeaseItem.ShardId },
        };
        try
        {
            await CallAsync("PutItem", ct => _client.PutItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task<LeaseWrite> TakeAsync(Lease lease, string owner, CancellationToken cancellationToken)
    {
        CheckLease(lease);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);

        // Only the counter is compared: taking a free lease, an expired one and stealing a live one are the same write.
        var update = new LeaseUpdate("SET #owner = :owner, #counter = :next, #updated_at = :updated_at", ExpectedCounter)
            .Value(":owner", new AttributeValue { S = owner });
        return UpdateAsync("Take", lease, update, cancellationToken);
    }

    public Task<LeaseWrite> RenewAsync(Lease lease, CancellationToken cancellationToken)
    {
        var owner = OwnedBy(lease);
        var update = new LeaseUpdate("SET #counter = :next, #updated_at = :updated_at", ExpectedCounterAndOwner)
            .Value(":owner", new AttributeValue { S = owner });
        return UpdateAsync("Renew", lease, update, cancellationToken);
    }

    public Task<LeaseWrite> CheckpointAsync(Lease lease, ShardPosition checkpoint, IReadOnlyDictionary<string, string> flushed, CancellationToken cancellationToken)
    {
        var owner = OwnedBy(lease);
        ArgumentException.ThrowIfNullOrEmpty(checkpoint.Sequence, nameof(checkpoint));
        ArgumentNullException.ThrowIfNull(flushed);
        var update = new LeaseUpdate(
                "SET #counter = :next, #updated_at = :updated_at, #checkpoint = :checkpoint, #flushed = :flushed",
                ExpectedCounterAndOwner)
            .Value(":owner", new AttributeValue { S = owner })
            .Value(":checkpoint", new AttributeValue { S = checkpoint.ToString() })
            .Value(":flushed", LeaseItem.FlushedValue(flushed));
        return UpdateAsync("Checkpoint", lease, update, cancellationToken);
    }

    public Task<LeaseWrite> ReleaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        var owner = OwnedBy(lease);
        var update = new LeaseUpdate("SET #counter = :next, #updated_at = :updated_at REMOVE #owner", ExpectedCounterAndOwner)
            .Value(":owner", new AttributeValue { S = owner });
        return UpdateAsync("Release", lease, update, cancellationToken);
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task<LeaseWrite> UpdateAsync(string operation, Lease lease, LeaseUpdate update, CancellationToken cancellationToken)
    {
        var request = update
            .Value(":expected", LeaseItem.CounterValue(lease.Counter))
            .Value(":next", LeaseItem.CounterValue(checked(lease.Counter + 1)))
            .Value(":updated_at", LeaseItem.TimeValue(_timeProvider.GetUtcNow()))
            .ToRequest(_tableName, lease.ShardId);
        try
        {
            var response = await CallAsync("UpdateItem", ct => _client.UpdateItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
            return new LeaseWrite(LeaseItem.FromItem(response.Attributes, _tableName, "UpdateItem"));
        }
        catch (ConditionalCheckFailedException)
        {
            LeaseStoreLog.WriteLost(_logger, lease.ShardId, operation, lease.Counter);
            return LeaseWrite.Lost;
        }
    }

    private async Task<TableDescription?> DescribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await CallAsync(
                "DescribeTable",
                ct => _client.DescribeTableAsync(new DescribeTableRequest { TableName = _tableName }, ct),
                cancellationToken).ConfigureAwait(false);
            LeaseStoreLog.TableFound(_logger, _tableName, response.Table.TableStatus?.Value ?? "unknown");
            return response.Table;
        }
        catch (LeaseStoreConfigurationException e) when (e.InnerException is ResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Calls the SDK and translates its failures (see <see cref="DynamoDbErrorTranslator"/>).</summary>
    private async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DynamoDbErrorTranslator.Translate(e, operation, _tableName, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private CreateTableRequest CreateTableRequest() => new()
    {
        TableName = _tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [new AttributeDefinition(LeaseItem.ShardId, ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement(LeaseItem.ShardId, KeyType.HASH)],
    };

    /// <summary>A table of the same name made for something else (a KCL lease table keyed by leaseKey) must not be written to.</summary>
    private void CheckKeySchema(TableDescription? description)
    {
        var key = description?.KeySchema;
        var ok = key is { Count: 1 }
            && key[0].AttributeName == LeaseItem.ShardId
            && key[0].KeyType == KeyType.HASH
            && description!.AttributeDefinitions?.Any(d => d.AttributeName == LeaseItem.ShardId && d.AttributeType == ScalarAttributeType.S) == true;
        if (!ok)
        {
            var actual = key is null ? "none" : string.Join(", ", key.Select(k => $"{k.AttributeName} ({k.KeyType?.Value})"));
            throw new LeaseStoreConfigurationException(
                _tableName,
                "DescribeTable",
                "UnexpectedKeySchema",
                $"the table is keyed by {actual}, not by the string partition key '{LeaseItem.ShardId}'; point {DynamoDbLeaseStoreOptions.Section}:TableName at a table of its own");
        }
    }

    private static void CheckLease(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentException.ThrowIfNullOrEmpty(lease.ShardId, nameof(lease));
    }

    private static string OwnedBy(Lease lease)
    {
        CheckLease(lease);
        return lease.Owner ?? throw new ArgumentException($"Lease {lease.ShardId} has no owner: only the owner renews, checkpoints or releases it", nameof(lease));
    }
}
