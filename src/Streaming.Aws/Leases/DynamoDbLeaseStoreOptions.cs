namespace Streaming.Aws.Leases;

/// <summary>Where and how <see cref="DynamoDbLeaseStore"/> keeps the leases. Configuration section <c>Streaming:Leases</c>.</summary>
public sealed class DynamoDbLeaseStoreOptions
{
    public const string Section = "Streaming:Leases";

    /// <summary>The lease table: one item per shard. Each application (consumer group) needs its own table.</summary>
    public string TableName { get; set; } = string.Empty;

    /// <summary>
    /// The endpoint, e.g. <c>http://127.0.0.1:4569</c> for dynalite. When empty: AWS_ENDPOINT_URL_DYNAMODB, then
    /// AWS_ENDPOINT_URL, then the public endpoint of <see cref="Region"/>.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The region; when empty, the AWS SDK's region chain decides (AWS_REGION, the profile, instance metadata).</summary>
    public string? Region { get; set; }

    /// <summary>
    /// Retries after the first attempt for throttling, 5xx and network errors. Kept small: a renewal that keeps
    /// retrying past the failover time is worse than one that fails and is tried again on the next tick.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>One HTTP attempt (connecting included) is abandoned after this long and counts as unavailable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long <see cref="DynamoDbLeaseStore.EnsureTableAsync"/> waits for a new table to become ACTIVE.</summary>
    public TimeSpan TableActiveTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often <see cref="DynamoDbLeaseStore.EnsureTableAsync"/> asks for the table status while waiting.</summary>
    public TimeSpan TableStatusPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Items per Scan page; null lets DynamoDB fill 1 MB pages. Small values only make tests paginate.</summary>
    internal int? ScanPageSize { get; set; }

    /// <summary>Checks every option; each message names the key and what would be right.</summary>
    public IReadOnlyList<string> Validate(string section = Section)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(TableName))
        {
            errors.Add($"{section}:TableName is required; set it to the lease table of this consumer (for example streaming-leases)");
        }
        else if (TableName.Length is < 3 or > 255 || !TableName.All(IsTableNameChar))
        {
            errors.Add($"{section}:TableName is '{TableName}'; a DynamoDB table name has 3 to 255 characters from a-z, A-Z, 0-9, '_', '-' and '.' (for example streaming-leases)");
        }

        if (!string.IsNullOrEmpty(ServiceUrl)
            && (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{section}:ServiceUrl is '{ServiceUrl}'; it must be an absolute http or https URL (for example http://127.0.0.1:4569)");
        }

        if (Region is not null && (Region.Length == 0 || Region.Any(char.IsWhiteSpace)))
        {
            errors.Add($"{section}:Region is '{Region}'; it must be a region name without spaces (for example eu-west-1), or left unset to use the SDK's region chain");
        }

        if (MaxRetries is < 0 or > 10)
        {
            errors.Add($"{section}:MaxRetries is {MaxRetries}; it must be between 0 and 10 (for example 3)");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}:RequestTimeout is {RequestTimeout}; it must be positive and at most one minute (for example 00:00:02)");
        }

        if (TableActiveTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:TableActiveTimeout is {TableActiveTimeout}; it must be positive (for example 00:02:00)");
        }

        if (TableStatusPollInterval <= TimeSpan.Zero || TableStatusPollInterval > TableActiveTimeout)
        {
            errors.Add($"{section}:TableStatusPollInterval is {TableStatusPollInterval}; it must be positive and at most TableActiveTimeout (for example 00:00:01)");
        }

        if (ScanPageSize is < 1)
        {
            errors.Add($"{section}:ScanPageSize is {ScanPageSize}; it must be at least 1");
        }

        return errors;
    }

    private static bool IsTableNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';
}
