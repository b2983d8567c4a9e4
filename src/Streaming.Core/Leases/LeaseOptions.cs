namespace Streaming.Core.Leases;

/// <summary>Lease timing and balancing. Configuration section <c>Streaming:Leases</c>.</summary>
public sealed class LeaseOptions
{
    public const string Section = "Streaming:Leases";

    /// <summary>The lease table's name.</summary>
    public string TableName { get; set; } = "streaming-leases";

    /// <summary>This worker's id; defaults to the host name plus a random suffix.</summary>
    public string? WorkerId { get; set; }

    /// <summary>A lease whose counter has not moved for this long (on the observer's monotonic clock) is expired.</summary>
    public TimeSpan FailoverTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often held leases are renewed, on a timer of their own.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the table is scanned to take free, expired or stolen leases.</summary>
    public TimeSpan TakeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>At most this many leases are stolen from the most loaded worker in one round.</summary>
    public int MaxStealsPerRound { get; set; } = 1;

    /// <summary>How often shards are listed to create leases for new shards (resharding).</summary>
    public TimeSpan ShardSyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> Validate(string section = Section)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(TableName) || TableName.Length is < 3 or > 255)
        {
            errors.Add($"{section}:TableName is '{TableName}'; it must be a DynamoDB table name of 3 to 255 characters");
        }

        if (FailoverTime < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{section}:FailoverTime is {FailoverTime}; it must be at least 00:00:01 (for example 00:00:10)");
        }

        if (RenewInterval <= TimeSpan.Zero || RenewInterval * 2 > FailoverTime)
        {
            errors.Add($"{section}:RenewInterval is {RenewInterval}; it must be positive and at most half of FailoverTime ({FailoverTime}), for example a third");
        }

        if (TakeInterval <= TimeSpan.Zero)
        {
            errors.Add($"{section}:TakeInterval is {TakeInterval}; it must be positive (for example 00:00:02)");
        }

        if (MaxStealsPerRound < 0)
        {
            errors.Add($"{section}:MaxStealsPerRound is {MaxStealsPerRound}; it must be 0 or more");
        }

        if (ShardSyncInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{section}:ShardSyncInterval is {ShardSyncInterval}; it must be at least 00:00:01");
        }

        return errors;
    }
}
