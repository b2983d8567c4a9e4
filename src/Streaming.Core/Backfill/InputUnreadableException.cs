namespace Streaming.Core.Backfill;

/// <summary>
/// One input cannot be read (it vanished, it may not be opened, it is not what it claims to be). Only that input
/// fails; <see cref="BackfillOptions.OnInputError"/> says whether the run goes on.
/// </summary>
public sealed class InputUnreadableException : Exception
{
    public InputUnreadableException(string input, string message, Exception? innerException = null)
        : base($"{input}: {message}", innerException)
    {
        Input = input;
        Reason = message;
    }

    /// <summary>Why, without the input's name.</summary>
    public string Reason { get; }

    public string Input { get; }
}
