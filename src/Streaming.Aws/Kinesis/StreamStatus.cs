namespace Streaming.Aws.Kinesis;

public enum StreamStatus
{
    /// <summary>A status this client does not know; treat it as not ready.</summary>
    Unknown,
    Creating,
    Deleting,
    Active,
    Updating,
}
