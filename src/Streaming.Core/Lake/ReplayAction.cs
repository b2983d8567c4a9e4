namespace Streaming.Core.Lake;

public enum ReplayAction
{
    /// <summary>Buffer it as usual.</summary>
    Append,

    /// <summary>It is already in the lake.</summary>
    Skip,

    /// <summary>Buffer it, and do not write the buffer before its cut: it is inside a run an earlier owner meant to write.</summary>
    AppendAndHold,

    /// <summary>Buffer it, then write the buffer at once: it ends a run an earlier owner meant to write.</summary>
    AppendAndCut,
}
