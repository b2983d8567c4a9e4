namespace Streaming.Aws.Kinesis;

/// <summary>Where in a shard a new iterator starts. Build one with the static members.</summary>
public sealed record ShardIteratorPosition
{
    private ShardIteratorPosition(ShardIteratorType type, string? sequenceNumber, DateTimeOffset? timestamp)
    {
        Type = type;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
    }

    public ShardIteratorType Type { get; }

    /// <summary>Set for <see cref="ShardIteratorType.AtSequenceNumber"/> and <see cref="ShardIteratorType.AfterSequenceNumber"/>.</summary>
    public string? SequenceNumber { get; }

    /// <summary>Set for <see cref="ShardIteratorType.AtTimestamp"/>.</summary>
    public DateTimeOffset? Timestamp { get; }

    public static ShardIteratorPosition TrimHorizon { get; } = new(ShardIteratorType.TrimHorizon, null, null);

    public static ShardIteratorPosition Latest { get; } = new(ShardIteratorType.Latest, null, null);

    public static ShardIteratorPosition AtTimestamp(DateTimeOffset timestamp) => new(ShardIteratorType.AtTimestamp, null, timestamp);

    public static ShardIteratorPosition AtSequenceNumber(string sequenceNumber) =>
        new(ShardIteratorType.AtSequenceNumber, RequireSequenceNumber(sequenceNumber), null);

    public static ShardIteratorPosition AfterSequenceNumber(string sequenceNumber) =>
        new(ShardIteratorType.AfterSequenceNumber, RequireSequenceNumber(sequenceNumber), null);

    public override string ToString() => Type switch
    {
        ShardIteratorType.AtSequenceNumber or ShardIteratorType.AfterSequenceNumber => $"{Type} {SequenceNumber}",
        ShardIteratorType.AtTimestamp => $"{Type} {Timestamp:O}",
        _ => Type.ToString(),
    };

    private static string RequireSequenceNumber(string sequenceNumber)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sequenceNumber);
        return sequenceNumber;
    }
}
