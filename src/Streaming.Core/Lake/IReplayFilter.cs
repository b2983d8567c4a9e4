namespace Streaming.Core.Lake;

/// <summary>Consulted for each routed event while a stream consumer replays what an earlier owner may have written.</summary>
public interface IReplayFilter
{
    ReplayAction Decide(string partition, SourcePosition position);
}
