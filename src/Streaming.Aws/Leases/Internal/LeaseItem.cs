using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Streaming.Core.Leases;

namespace Streaming.Aws.Leases.Internal;

/// <summary>The item schema of the lease table (docs/lease-table.md) and its mapping to <see cref="Lease"/>.</summary>
internal static class LeaseItem
{
    public const string ShardId = "shard_id";
    public const string Owner = "owner";
    public const string Counter = "counter";
    public const string Checkpoint = "checkpoint";
    public const string Parents = "parents";
    public const string Flushed = "flushed";
    public const string UpdatedAt = "updated_at";

    public static Dictionary<string, AttributeValue> Key(string shardId) => new(StringComparer.Ordinal)
    {
        [ShardId] = new AttributeValue { S = shardId },
    };

    public static Dictionary<string, AttributeValue> ToItem(Lease lease, DateTimeOffset now)
    {
        var item = Key(lease.ShardId);
        if (lease.Owner is not null)
        {
            item[Owner] = new AttributeValue { S = lease.Owner };
        }

        item[Counter] = CounterValue(lease.Counter);
        item[Checkpoint] = new AttributeValue { S = lease.Checkpoint.ToString() };

        // A string set cannot be empty, and an empty list says nothing an absent attribute does not.
        if (lease.ParentShardIds.Count > 0)
        {
            item[Parents] = ParentsValue(lease.ParentShardIds);
        }

        item[Flushed] = FlushedValue(lease.Flushed);
        item[UpdatedAt] = TimeValue(now);
        return item;
    }

    public static AttributeValue CounterValue(long counter) => new() { N = counter.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue TimeValue(DateTimeOffset now) => new() { S = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) };

    /// <summary>A list rather than a string set: it keeps the order the caller gave.</summary>
    public static AttributeValue ParentsValue(IReadOnlyList<string> parents) => new()
    {
        L = [.. parents.Select(p => new AttributeValue { S = p })],
    };

    public static AttributeValue FlushedValue(IReadOnlyDictionary<string, string> flushed) => new()
    {
        M = flushed.ToDictionary(e => e.Key, e => new AttributeValue { S = e.Value }, StringComparer.Ordinal),
    };

    /// <summary>Reads an item back; anything that does not follow the schema is a configuration error naming the table.</summary>
    public static Lease FromItem(IReadOnlyDictionary<string, AttributeValue> item, string tableName, string operation)
    {
        var shardId = RequiredString(item, ShardId, "?", tableName, operation);
        var owner = item.TryGetValue(Owner, out var ownerValue) && ownerValue.S is not null ? ownerValue.S : null;

        if (!item.TryGetValue(Counter, out var counterValue)
            || counterValue.N is null
            || !long.TryParse(counterValue.N, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var counter))
        {
            throw Malformed(tableName, operation, shardId, $"'{Counter}' must be a whole number (N)");
        }

        var checkpointText = RequiredString(item, Checkpoint, shardId, tableName, operation);
        ShardPosition checkpoint;
        try
        {
            checkpoint = ShardPosition.Parse(checkpointText);
        }
        catch (FormatException e)
        {
            throw Malformed(tableName, operation, shardId, $"'{Checkpoint}' is '{checkpointText}', not a sequence number, sequence/sub-sequence or sentinel", e);
        }
        catch (OverflowException e)
        {
            throw Malformed(tableName, operation, shardId, $"'{Checkpoint}' is '{checkpointText}', its sub-sequence is out of range", e);
        }

        return new Lease(shardId, owner, counter, checkpoint, ReadParents(item, shardId, tableName, operation), ReadFlushed(item, shardId, tableName, operation));
    }

    private static string[] ReadParents(IReadOnlyDictionary<string, AttributeValue> item, string shardId, string tableName, string operation)
    {
        if (!item.TryGetValue(Parents, out var value))
        {
            return [];
        }

        // Accept a string set as well: it is what a hand-written item (or KCL's habit) would use.
        if (value.SS is { } set)
        {
            return [.. set];
        }

        if (value.L is { } list && list.All(v => v.S is not null))
        {
            return [.. list.Select(v => v.S)];
        }

        throw Malformed(tableName, operation, shardId, $"'{Parents}' must be a list of strings (L of S) or a string set (SS)");
    }

    private static Dictionary<string, string> ReadFlushed(IReadOnlyDictionary<string, AttributeValue> item, string shardId, string tableName, string operation)
    {
        var flushed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!item.TryGetValue(Flushed, out var value))
        {
            return flushed;
        }

        if (value.M is null || value.M.Values.Any(v => v.S is null))
        {
            throw Malformed(tableName, operation, shardId, $"'{Flushed}' must be a map of strings (M of S)");
        }

        foreach (var (key, position) in value.M)
        {
            flushed[key] = position.S;
        }

        return flushed;
    }

    private static string RequiredString(IReadOnlyDictionary<string, AttributeValue> item, string name, string shardId, string tableName, string operation) =>
        item.TryGetValue(name, out var value) && value.S is not null
            ? value.S
            : throw Malformed(tableName, operation, shardId, $"'{name}' must be a string (S)");

    private static LeaseStoreConfigurationException Malformed(string tableName, string operation, string shardId, string problem, Exception? inner = null) =>
        new(tableName, operation, "MalformedLeaseItem", $"item '{shardId}' does not follow the lease schema: {problem}", inner);
}
