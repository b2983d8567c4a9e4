namespace Streaming.Aws.Leases;

/// <summary>
/// The lease table refused a call for a reason that waiting will not fix: the table is missing or has another key,
/// access is denied, the request is invalid, or an item does not follow the lease schema. Fix the configuration
/// (or the table) and restart.
/// </summary>
public sealed class LeaseStoreConfigurationException : Exception
{
    public LeaseStoreConfigurationException(string tableName, string operation, string errorCode, string message, Exception? innerException = null)
        : base($"Lease table '{tableName}': {operation} failed: {errorCode}: {message}", innerException)
    {
        TableName = tableName;
        Operation = operation;
        ErrorCode = errorCode;
    }

    public string TableName { get; }

    /// <summary>The DynamoDB operation, e.g. <c>UpdateItem</c>.</summary>
    public string Operation { get; }

    /// <summary>The AWS error code (e.g. <c>AccessDeniedException</c>) or the store's own code for local checks.</summary>
    public string ErrorCode { get; }
}
