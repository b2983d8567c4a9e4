namespace Streaming.Core.Leases;

/// <summary>The result of a conditional lease write: the lease as now stored, or lost.</summary>
public readonly record struct LeaseWrite(Lease? Updated)
{
    public static LeaseWrite Lost { get; } = new(null);

    public bool Succeeded => Updated is not null;
}
