using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Streaming.Aws.Leases;
using Streaming.Aws.Leases.Internal;
using Streaming.Core.Leases;

namespace Streaming.Aws.Tests.Leases.Unit;

public sealed class DynamoDbErrorTranslatorTests
{
    private static Exception? Translate(Exception error, CancellationToken cancellationToken = default) =>
        DynamoDbErrorTranslator.Translate(error, "UpdateItem", "leases", cancellationToken);

    private static AmazonServiceException Service(string code, HttpStatusCode status) =>
        new AmazonDynamoDBException("boom", ErrorType.Unknown, code, "req-1", status);

    public static TheoryData<Exception, string> Outages() => new()
    {
        { new ProvisionedThroughputExceededException("slow down", ErrorType.Sender, "ProvisionedThroughputExceededException", "r", HttpStatusCode.BadRequest), "ProvisionedThroughputExceededException" },
        { new RequestLimitExceededException("slow down", ErrorType.Sender, "RequestLimitExceeded", "r", HttpStatusCode.BadRequest), "RequestLimitExceeded" },
        { new ThrottlingException("slow down", ErrorType.Sender, "ThrottlingException", "r", HttpStatusCode.BadRequest), "ThrottlingException" },
        { new InternalServerErrorException("oops", ErrorType.Receiver, "InternalServerError", "r", HttpStatusCode.InternalServerError), "InternalServerError" },
        { Service("SomethingNew", HttpStatusCode.ServiceUnavailable), "SomethingNew" },
        { Service("TooManyRequests", (HttpStatusCode)429), "TooManyRequests" },
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)), "ConnectionRefused" },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), "NameResolutionError" },
        { new TaskCanceledException("timed out", new TimeoutException()), "Timeout" },
        { new AmazonClientException("wrapped", new IOException("reset")), "IOException" },
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public void Throttling_5xx_network_errors_and_timeouts_are_unavailable_with_the_code_in_the_message(Exception error, string code)
    {
        var translated = Assert.IsType<LeaseStoreUnavailableException>(Translate(error));

        Assert.Contains(code, translated.Message, StringComparison.Ordinal);
        Assert.Contains("leases", translated.Message, StringComparison.Ordinal);
        Assert.Same(error, translated.InnerException);
    }

    [Theory]
    [InlineData("AccessDeniedException")]
    [InlineData("ValidationException")]
    [InlineData("UnrecognizedClientException")]
    [InlineData("ResourceNotFoundException")]
    public void Other_service_errors_are_configuration_errors_naming_the_table(string code)
    {
        var translated = Assert.IsType<LeaseStoreConfigurationException>(Translate(Service(code, HttpStatusCode.BadRequest)));

        Assert.Equal(("leases", "UpdateItem", code), (translated.TableName, translated.Operation, translated.ErrorCode));
        Assert.Contains("'leases'", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_side_failure_that_is_not_the_network_is_a_configuration_error()
    {
        var translated = Translate(new AmazonClientException("No RegionEndpoint or ServiceURL configured"));

        Assert.Contains("No RegionEndpoint", Assert.IsType<LeaseStoreConfigurationException>(translated).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_condition_the_callers_cancellation_and_plain_bugs_pass_through()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Null(Translate(new ConditionalCheckFailedException("no")));
        Assert.Null(Translate(new OperationCanceledException(cancelled.Token), cancelled.Token));
        Assert.Null(Translate(new ArgumentException("bug")));
    }
}
