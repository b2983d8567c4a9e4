namespace Streaming.Core.Leases;

/// <summary>The lease table could not be reached or throttled the call; nothing is known to have changed.</summary>
public sealed class LeaseStoreUnavailableException : Exception
{
    public LeaseStoreUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
