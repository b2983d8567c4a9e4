using System.Globalization;

namespace Streaming.Core.Lake;

/// <summary>
/// Where an event came from. For a file: <see cref="Source"/> is the file and <see cref="Index"/> the line
/// (1-based). For a Kinesis shard: <see cref="Source"/> is the shard id, <see cref="Sequence"/> the record's
/// sequence number, <see cref="SubSequence"/> the user record inside a KPL aggregate (0 for a plain record)
/// and <see cref="Index"/> the event among the newline-delimited events of that user record (from 0).
/// </summary>
public readonly record struct SourcePosition(string Source, string? Sequence, long SubSequence, long Index)
{
    public static SourcePosition Line(string file, long line) => new(file, null, 0, line);

    public static SourcePosition InShard(string shardId, string sequence, long subSequence, long index) => new(shardId, sequence, subSequence, index);

    /// <summary><c>file:line</c>, or <c>shard/sequence/sub/index</c>.</summary>
    public override string ToString() => Sequence is null
        ? string.Create(CultureInfo.InvariantCulture, $"{Source}:{Index}")
        : string.Create(CultureInfo.InvariantCulture, $"{Source}/{Sequence}/{SubSequence}/{Index}");
}
