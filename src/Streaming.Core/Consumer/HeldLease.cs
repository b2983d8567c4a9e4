using Streaming.Core.Leases;

namespace Streaming.Core.Consumer;

/// <summary>
/// A lease this worker holds. Every lease write (renew, progress, release) goes through <see cref="WriteLock"/>
/// because each bumps the counter the next one is conditioned on.
/// </summary>
public sealed class HeldLease : IDisposable
{
    public HeldLease(Lease lease, long renewedAt)
    {
        Current = lease;
        LastRenewed = renewedAt;
    }

    public string ShardId => Current.ShardId;

    public Lease Current { get; internal set; }

    /// <summary>Monotonic timestamp of the last successful write.</summary>
    public long LastRenewed { get; internal set; }

    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>Cancelled when the lease is lost: stop at once, write nothing.</summary>
    public CancellationTokenSource Lost { get; } = new();

    /// <summary>Cancelled to stop gracefully: write what is buffered, checkpoint, then stop.</summary>
    public CancellationTokenSource Stop { get; } = new();

    public Task? Processor { get; internal set; }

    /// <summary>Set (under <see cref="WriteLock"/>) once the lease is released: nothing may renew or write it after that.</summary>
    public bool Released { get; internal set; }

    /// <summary>Marks the lease lost (its processing stops without writing); true for the call that did it.</summary>
    internal bool MarkLost()
    {
        lock (Lost)
        {
            if (Lost.IsCancellationRequested)
            {
                return false;
            }

            Lost.Cancel();
            return true;
        }
    }

    public void Dispose()
    {
        WriteLock.Dispose();
        Lost.Dispose();
        Stop.Dispose();
    }
}
