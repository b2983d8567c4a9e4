namespace Streaming.Core.Backfill;

/// <summary>What a run does when one input cannot be read (a corrupt gzip, a key that vanished).</summary>
public enum InputErrorMode
{
    /// <summary>Report the input and go on with the others; the run still ends with a non-zero exit code.</summary>
    Skip,

    /// <summary>Report the input and stop starting new ones; inputs already running finish.</summary>
    Stop,
}
