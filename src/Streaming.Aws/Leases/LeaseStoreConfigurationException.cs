namespace Streaming.Aws.Leases;

/// <summary>
/// The lease table refused a call for a reason that waiting will not fix: the table is missing or has another key,
/// access is denied, the request is invalid, or an item does not follow the lease schema. Fix the configuration
/// (or the table) and restart.
/// </summary>
public sealed class LeaseStoreConfigurationException : Exception, Streaming.Core.Failures.IClassifiedFailure
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

    public bool IsTransient => false;

    public string Resource => TableName;

    public string Fix => ErrorCode switch
    {
        "ResourceNotFoundException" => "the table is gone: restart the worker to create it again, or fix --lease-table (Streaming:Leases:TableName)",
        "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException" or "ExpiredTokenException"
            => "give the worker's credentials dynamodb:DescribeTable, CreateTable, Scan, GetItem, PutItem and UpdateItem on the table, then restart",
        _ => "check --lease-table, the region and the table's key schema (docs/lease-table.md), then restart",
    };
}
