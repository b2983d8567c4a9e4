using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Streaming.Aws.Storage.Internal;

/// <summary>
/// Maps what the SDK throws (after its own retries) to the store's outcomes: throttling, 5xx, network errors and
/// timeouts become <see cref="LakeStoreUnavailableException"/>; any other service or client error becomes
/// <see cref="LakeStoreConfigurationException"/>. The caller's own cancellation is left alone, and so are the answers
/// the store handles itself (412, 409, 404), which <see cref="IsPreconditionFailed"/> and friends recognise.
/// </summary>
internal static class S3ErrorTranslator
{
    private static readonly HashSet<string> UnavailableCodes = new(StringComparer.Ordinal)
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequests",
        "InternalError",
        "InternalFailure",
        "ServiceUnavailable",
        "RequestTimeout",
        "RequestTimeoutException",
        "OperationAborted",
    };

    /// <summary>The exception to throw instead of <paramref name="error"/>, or null to let it through unchanged.</summary>
    public static Exception? Translate(Exception error, string operation, string bucket, string? key, CancellationToken cancellationToken)
    {
        switch (error)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
            case LakeStoreUnavailableException:
            case LakeStoreConfigurationException:
                return null;
            case AmazonServiceException service:
                return FromService(service, operation, bucket, key);
            case AmazonClientException client:
                return IsNetworkFailure(client.InnerException)
                    ? new LakeStoreUnavailableException(bucket, key, operation, NetworkCode(client.InnerException!), client.Message, client)
                    : new LakeStoreConfigurationException(bucket, key, operation, "ClientError", client.Message, client);
            default:
                return IsNetworkFailure(error)
                    ? new LakeStoreUnavailableException(bucket, key, operation, NetworkCode(error), error.Message, error)
                    : null;
        }
    }

    public static bool IsUnavailable(string errorCode, int statusCode) =>
        UnavailableCodes.Contains(errorCode) || statusCode is 429 or >= 500;

    /// <summary>412: an object already exists under the key of an <c>If-None-Match: *</c> write.</summary>
    public static bool IsPreconditionFailed(Exception error) =>
        error is AmazonServiceException service
        && (service.StatusCode == HttpStatusCode.PreconditionFailed || service.ErrorCode == "PreconditionFailed");

    /// <summary>
    /// 409 ConditionalRequestConflict (or OperationAborted): another write of the key was in flight; S3 says to try
    /// again. It does not say whether that other write landed.
    /// </summary>
    public static bool IsConditionalConflict(Exception error) =>
        error is AmazonServiceException { ErrorCode: "ConditionalRequestConflict" or "OperationAborted" };

    /// <summary>404 on an object: NoSuchKey, or the bodiless 404 of a HEAD. NoSuchBucket is a configuration error.</summary>
    public static bool IsMissingObject(Exception error) =>
        error is AmazonServiceException service
        && service.StatusCode == HttpStatusCode.NotFound
        && service.ErrorCode != "NoSuchBucket";

    private static Exception FromService(AmazonServiceException service, string operation, string bucket, string? key)
    {
        var status = (int)service.StatusCode;
        var code = string.IsNullOrEmpty(service.ErrorCode) ? (status == 0 ? service.GetType().Name : $"Http{status}") : service.ErrorCode;

        // No status means no answer: the SDK wrapped a transport failure.
        if (status == 0 && IsNetworkFailure(service.InnerException))
        {
            return new LakeStoreUnavailableException(bucket, key, operation, NetworkCode(service.InnerException!), service.Message, service);
        }

        if (IsUnavailable(code, status))
        {
            return new LakeStoreUnavailableException(bucket, key, operation, code, service.Message, service);
        }

        var hint = code switch
        {
            "NoSuchBucket" => $"the bucket does not exist (check {S3LakeStoreOptions.Section}:Bucket, :Region and :ServiceUrl): ",
            "AccessDenied" => "the credentials lack a permission this store needs (docs/s3-lake.md lists them): ",
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" => "the credentials are wrong for this endpoint: ",
            "PermanentRedirect" or "AuthorizationHeaderMalformed" => $"the bucket is in another region (set {S3LakeStoreOptions.Section}:Region): ",
            _ => string.Empty,
        };
        return new LakeStoreConfigurationException(bucket, key, operation, code, hint + service.Message, service);
    }

    private static bool IsNetworkFailure(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException)
            {
                return true;
            }
        }

        return false;
    }

    private static string NetworkCode(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException:
                case OperationCanceledException:
                    return "Timeout";
                case SocketException socket:
                    return socket.SocketErrorCode.ToString();
                case HttpRequestException http when http.HttpRequestError != HttpRequestError.Unknown && e.InnerException is not SocketException:
                    return http.HttpRequestError.ToString();
            }
        }

        return error.GetType().Name;
    }
}
