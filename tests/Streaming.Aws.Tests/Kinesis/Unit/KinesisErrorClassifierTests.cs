using System.Net;
using System.Text;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Kinesis.Internal;

namespace Streaming.Aws.Tests.Kinesis.Unit;

public sealed class KinesisErrorClassifierTests
{
    [Theory]
    [InlineData(400, """{"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded"}""", KinesisErrorKind.Throttled, "ProvisionedThroughputExceededException")]
    [InlineData(400, """{"__type":"LimitExceededException","message":"too many"}""", KinesisErrorKind.Throttled, "LimitExceededException")]
    [InlineData(400, """{"__type":"com.amazonaws.kinesis.v20131202#ExpiredIteratorException","message":"Iterator expired"}""", KinesisErrorKind.IteratorExpired, "ExpiredIteratorException")]
    [InlineData(400, """{"__type":"ExpiredNextTokenException","message":"token expired"}""", KinesisErrorKind.IteratorExpired, "ExpiredNextTokenException")]
    [InlineData(400, """{"__type":"ResourceNotFoundException","message":"Stream x not found"}""", KinesisErrorKind.NotFound, "ResourceNotFoundException")]
    [InlineData(400, """{"__type":"ResourceInUseException","message":"busy"}""", KinesisErrorKind.ResourceInUse, "ResourceInUseException")]
    [InlineData(400, """{"__type":"InvalidArgumentException","message":"bad"}""", KinesisErrorKind.InvalidArgument, "InvalidArgumentException")]
    [InlineData(400, """{"__type":"ValidationException","Message":"bad"}""", KinesisErrorKind.InvalidArgument, "ValidationException")]
    [InlineData(400, """{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}""", KinesisErrorKind.AccessDenied, "UnrecognizedClientException")]
    [InlineData(403, """{"__type":"InvalidSignatureException","message":"Signature mismatch"}""", KinesisErrorKind.AccessDenied, "InvalidSignatureException")]
    [InlineData(400, """{"__type":"AccessDeniedException","message":"not allowed"}""", KinesisErrorKind.AccessDenied, "AccessDeniedException")]
    [InlineData(400, """{"__type":"ExpiredTokenException","message":"expired"}""", KinesisErrorKind.AccessDenied, "ExpiredTokenException")]
    [InlineData(500, """{"__type":"InternalFailure","message":"oops"}""", KinesisErrorKind.Unavailable, "InternalFailure")]
    [InlineData(503, "", KinesisErrorKind.Unavailable, "Http503")]
    [InlineData(502, "<html>Bad gateway</html>", KinesisErrorKind.Unavailable, "Http502")]
    [InlineData(429, "", KinesisErrorKind.Throttled, "Http429")]
    [InlineData(400, """{"__type":"KMSDisabledException","message":"key disabled"}""", KinesisErrorKind.Fatal, "KMSDisabledException")]
    [InlineData(400, "{}", KinesisErrorKind.Fatal, "Http400")]
    public void Error_answers_map_to_domain_kinds_and_keep_the_AWS_code(int status, string body, KinesisErrorKind kind, string code)
    {
        var error = KinesisErrorClassifier.FromResponse("GetRecords", (HttpStatusCode)status, Encoding.UTF8.GetBytes(body), null);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("GetRecords", error.Operation);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_of_the_answer_is_kept()
    {
        var error = KinesisErrorClassifier.FromResponse(
            "PutRecords",
            HttpStatusCode.BadRequest,
            """{"__type":"ResourceNotFoundException","message":"Stream events under account 000000000000 not found."}"""u8,
            null);

        Assert.Equal("Stream events under account 000000000000 not found.", error.ErrorMessage);
    }

    [Fact]
    public void Without_a_body_the_error_type_header_names_the_error()
    {
        var error = KinesisErrorClassifier.FromResponse(
            "GetRecords",
            HttpStatusCode.BadRequest,
            [],
            "ProvisionedThroughputExceededException:http://internal.amazon.com/coral/com.amazon.coral.service/");

        Assert.Equal(KinesisErrorKind.Throttled, error.Kind);
        Assert.Equal("ProvisionedThroughputExceededException", error.ErrorCode);
    }

    [Theory]
    [InlineData(KinesisErrorKind.Throttled, true)]
    [InlineData(KinesisErrorKind.Unavailable, true)]
    [InlineData(KinesisErrorKind.IteratorExpired, false)]
    [InlineData(KinesisErrorKind.NotFound, false)]
    [InlineData(KinesisErrorKind.Fatal, false)]
    public void Only_throttling_and_unavailability_are_transient(KinesisErrorKind kind, bool transient)
    {
        Assert.Equal(transient, new KinesisException(kind, "GetRecords", "Code", "message").IsTransient);
    }
}
