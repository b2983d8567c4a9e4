namespace Streaming.Core.Failures;

/// <summary>The worker stopped because of a failure waiting cannot fix; the message is the one line to show.</summary>
public sealed class WorkerFailedException : Exception
{
    public WorkerFailedException(string message)
        : base(message)
    {
    }
}
