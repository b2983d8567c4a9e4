namespace Streaming.Aws.Kinesis;

/// <summary>What a failed Kinesis call means for the caller.</summary>
public enum KinesisErrorKind
{
    /// <summary>Anything not listed below: a bug, a KMS problem, an unexpected answer. Do not retry blindly.</summary>
    Fatal,

    /// <summary>ProvisionedThroughputExceeded, LimitExceeded, Throttling: back off and retry.</summary>
    Throttled,

    /// <summary>5xx, InternalFailure, a network error or a timeout: retry later.</summary>
    Unavailable,

    /// <summary>The shard iterator (or a ListShards NextToken) expired: get a new one from the last checkpoint.</summary>
    IteratorExpired,

    /// <summary>The stream or shard does not exist.</summary>
    NotFound,

    /// <summary>The stream is being created, deleted or resharded, or already exists.</summary>
    ResourceInUse,

    /// <summary>The request was rejected as malformed or out of range.</summary>
    InvalidArgument,

    /// <summary>No credentials, bad credentials, an invalid signature or missing permission.</summary>
    AccessDenied,
}
