using System.Net.Sockets;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Streaming.Core.Leases;

namespace Streaming.Aws.Leases.Internal;

/// <summary>
/// Maps what the SDK throws to the lease store's outcomes: throttling, 5xx, network errors and timeouts become
/// <see cref="LeaseStoreUnavailableException"/>; any other service or client error becomes
/// <see cref="LeaseStoreConfigurationException"/>. A failed condition and the caller's own cancellation are left alone.
/// </summary>
internal static class DynamoDbErrorTranslator
{
    private static readonly HashSet<string> UnavailableCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "RequestLimitExceededException",
        "ThrottlingException",
        "Throttling",
        "LimitExceededException",
        "InternalServerError",
        "InternalServerErrorException",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
    };

    /// <summary>The exception to throw instead of <paramref name="error"/>, or null to let it through unchanged.</summary>
    public static Exception? Translate(Exception error, string operation, string tableName, CancellationToken cancellationToken)
    {
        switch (error)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
            case ConditionalCheckFailedException:
            case LeaseStoreUnavailableException:
            case LeaseStoreConfigurationException:
                return null;
            case AmazonServiceException service:
                return FromService(service, operation, tableName);
            case AmazonClientException client:
                return IsNetworkFailure(client.InnerException)
                    ? Unavailable(operation, tableName, NetworkCode(client.InnerException!), client.Message, client)
                    : new LeaseStoreConfigurationException(tableName, operation, "ClientError", client.Message, client);
            default:
                return IsNetworkFailure(error) ? Unavailable(operation, tableName, NetworkCode(error), error.Message, error) : null;
        }
    }

    public static bool IsUnavailable(string errorCode, int statusCode) =>
        UnavailableCodes.Contains(errorCode) || statusCode is 429 or >= 500;

    private static Exception FromService(AmazonServiceException service, string operation, string tableName)
    {
        var status = (int)service.StatusCode;
        var code = string.IsNullOrEmpty(service.ErrorCode) ? service.GetType().Name : service.ErrorCode;

        // No status means no answer: the SDK wrapped a transport failure.
        if (status == 0 && IsNetworkFailure(service.InnerException))
        {
            return Unavailable(operation, tableName, NetworkCode(service.InnerException!), service.Message, service);
        }

        if (IsUnavailable(code, status))
        {
            return Unavailable(operation, tableName, code, service.Message, service);
        }

        if (service is ResourceNotFoundException)
        {
            return new LeaseStoreConfigurationException(
                tableName,
                operation,
                code,
                $"the table does not exist in this account and region (call EnsureTableAsync first, or check {DynamoDbLeaseStoreOptions.Section}:TableName and :Region): {service.Message}",
                service);
        }

        return new LeaseStoreConfigurationException(tableName, operation, code, service.Message, service);
    }

    private static LeaseStoreUnavailableException Unavailable(string operation, string tableName, string code, string message, Exception inner) =>
        new($"Lease table '{tableName}' unavailable: {operation} failed: {code}: {message}", inner);

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
