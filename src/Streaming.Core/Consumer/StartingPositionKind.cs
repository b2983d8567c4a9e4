namespace Streaming.Core.Consumer;

public enum StartingPositionKind
{
    TrimHorizon,
    Latest,
    AtTimestamp,
    AtSequence,
    AfterSequence,
}
