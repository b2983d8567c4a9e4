using Microsoft.Extensions.Logging;

namespace Streaming.Aws.Storage.Internal;

internal static partial class S3LakeLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "S3 lake {Root} via {Endpoint}; path-style {PathStyle}, encryption {Encryption}, check before create {VerifyNoOverwrite}")]
    public static partial void Opened(ILogger logger, string root, string endpoint, bool pathStyle, string encryption, bool verifyNoOverwrite);

    [LoggerMessage(EventId = 701, Level = LogLevel.Debug, Message = "Created s3://{Bucket}/{Key}: {Bytes} bytes in {Parts} part(s), {ElapsedMs} ms")]
    public static partial void Created(ILogger logger, string bucket, string key, long bytes, int parts, long elapsedMs);

    [LoggerMessage(EventId = 702, Level = LogLevel.Debug, Message = "s3://{Bucket}/{Key} already exists ({Evidence}); nothing written")]
    public static partial void AlreadyExists(ILogger logger, string bucket, string key, string evidence);

    [LoggerMessage(EventId = 703, Level = LogLevel.Debug, Message = "s3://{Bucket}/{Key}: conditional write conflicted with another (attempt {Attempt}); the key is still free, writing again")]
    public static partial void ConditionalConflict(ILogger logger, string bucket, string key, int attempt);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "s3://{Bucket}/{Key}: could not abort multipart upload {UploadId}; its parts stay invisible until a lifecycle rule (AbortIncompleteMultipartUpload) removes them")]
    public static partial void AbortFailed(ILogger logger, Exception error, string bucket, string key, string uploadId);
}
