using System.Net;
using Amazon.Runtime;
using Streaming.Aws.Storage;
using Streaming.Aws.Storage.Internal;
using Streaming.Core.Backfill;

namespace Streaming.Aws.Input;

/// <summary>
/// The S3 lake's translation (<see cref="S3ErrorTranslator"/>) applied to inputs: a missing or replaced object fails
/// that input alone; throttling, 5xx and the network are transient; anything else (access, bucket, credentials) ends
/// the run.
/// </summary>
internal static class S3InputErrors
{
    public static Exception? Translate(Exception error, string operation, string bucket, string key, CancellationToken cancellationToken)
    {
        if (error is AmazonServiceException service)
        {
            if (S3ErrorTranslator.IsMissingObject(error))
            {
                return new InputUnreadableException($"s3://{bucket}/{key}", $"the object is gone ({operation}: {service.ErrorCode ?? "404"})", error);
            }

            if (service.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return new InputUnreadableException($"s3://{bucket}/{key}", "the object was replaced after it was listed (its ETag changed); convert it again in a new run", error);
            }
        }

        return S3ErrorTranslator.Translate(error, operation, bucket, key, cancellationToken) switch
        {
            LakeStoreUnavailableException u => new S3InputException(true, bucket, key, operation, u.ErrorCode, Detail(u.Message), error),
            LakeStoreConfigurationException c => new S3InputException(false, bucket, key, operation, c.ErrorCode, Detail(c.Message), error),
            var other => other,
        };
    }

    /// <summary>The lake exceptions' messages start with "S3 lake...: op of s3://b/k failed: code: "; keep what follows.</summary>
    private static string Detail(string message)
    {
        var marker = message.IndexOf(" failed: ", StringComparison.Ordinal);
        if (marker < 0)
        {
            return message;
        }

        var rest = message[(marker + " failed: ".Length)..];
        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? rest : rest[(colon + 2)..];
    }
}
