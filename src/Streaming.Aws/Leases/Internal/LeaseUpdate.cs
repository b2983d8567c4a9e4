using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Streaming.Aws.Leases.Internal;

/// <summary>
/// One conditional UpdateItem on a lease. DynamoDB rejects placeholders an expression does not use, so only the
/// attribute names that occur in the two expressions are declared.
/// </summary>
internal sealed class LeaseUpdate
{
    private static readonly string[] Names =
    [
        LeaseItem.Owner, LeaseItem.Counter, LeaseItem.Checkpoint, LeaseItem.Flushed, LeaseItem.UpdatedAt,
    ];

    private readonly string _updateExpression;
    private readonly string _conditionExpression;
    private readonly Dictionary<string, AttributeValue> _values = new(StringComparer.Ordinal);

    public LeaseUpdate(string updateExpression, string conditionExpression)
    {
        _updateExpression = updateExpression;
        _conditionExpression = conditionExpression;
    }

    public LeaseUpdate Value(string placeholder, AttributeValue value)
    {
        _values[placeholder] = value;
        return this;
    }

    public UpdateItemRequest ToRequest(string tableName, string shardId)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            var placeholder = "#" + name;
            if (_updateExpression.Contains(placeholder, StringComparison.Ordinal) || _conditionExpression.Contains(placeholder, StringComparison.Ordinal))
            {
                names[placeholder] = name;
            }
        }

        return new UpdateItemRequest
        {
            TableName = tableName,
            Key = LeaseItem.Key(shardId),
            UpdateExpression = _updateExpression,
            ConditionExpression = _conditionExpression,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(_values, StringComparer.Ordinal),
            ReturnValues = ReturnValue.ALL_NEW,
        };
    }
}
