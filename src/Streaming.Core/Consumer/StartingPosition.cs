namespace Streaming.Core.Consumer;

/// <summary>Where to start reading a shard.</summary>
public sealed record StartingPosition(StartingPositionKind Kind, string? Sequence = null, DateTimeOffset? Timestamp = null)
{
    public static StartingPosition TrimHorizon { get; } = new(StartingPositionKind.TrimHorizon);

    public static StartingPosition Latest { get; } = new(StartingPositionKind.Latest);

    public static StartingPosition At(string sequence) => new(StartingPositionKind.AtSequence, sequence);

    public static StartingPosition After(string sequence) => new(StartingPositionKind.AfterSequence, sequence);

    public static StartingPosition AtTime(DateTimeOffset timestamp) => new(StartingPositionKind.AtTimestamp, null, timestamp);
}
