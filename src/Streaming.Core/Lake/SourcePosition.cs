namespace Streaming.Core.Lake;

/// <summary>
/// Where an event came from. For a file: <see cref="Source"/> is the file and <see cref="Offset"/> the line
/// (1-based). For a Kinesis record: <see cref="Source"/> is the shard id, <see cref="Sequence"/> the record's
/// sequence number and <see cref="Offset"/> the event's index inside the record (its sub-sequence).
/// </summary>
public readonly record struct SourcePosition(string Source, string? Sequence, long Offset)
{
    public static SourcePosition Line(string file, long line) => new(file, null, line);

    public override string ToString() => Sequence is null ? $"{Source}:{Offset}" : $"{Source}/{Sequence}/{Offset}";
}
