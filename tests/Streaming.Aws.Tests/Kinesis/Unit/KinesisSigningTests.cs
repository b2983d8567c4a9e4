using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Tests.Support;

namespace Streaming.Aws.Tests.Kinesis.Unit;

public sealed partial class KinesisSigningTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 34, 56, TimeSpan.Zero);

    [Fact]
    public async Task Every_request_carries_a_SigV4_signature_over_the_headers_and_body_actually_sent()
    {
        var (client, handler) = Create(new KinesisClientOptions { Region = "eu-west-1", ServiceUrl = "http://127.0.0.1:4568", AccessKeyId = AccessKey, SecretAccessKey = Secret });

        await client.DescribeStreamSummaryAsync("events");

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/", request.Uri.AbsolutePath);
        Assert.Equal("Kinesis_20131202.DescribeStreamSummary", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Equal("20240501T123456Z", request.Headers["X-Amz-Date"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(request.Body)), request.Headers["X-Amz-Content-SHA256"]);
        var authorization = AuthorizationPattern().Match(request.Headers["Authorization"]);
        Assert.True(authorization.Success, request.Headers["Authorization"]);
        Assert.Equal($"{AccessKey}/20240501/eu-west-1/kinesis/aws4_request", authorization.Groups["credential"].Value);
        var signedHeaders = authorization.Groups["signed"].Value.Split(';');
        Assert.Superset(new HashSet<string> { "content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-target" }, signedHeaders.ToHashSet());
        Assert.Equal(ExpectedSignature(request, Secret, "eu-west-1"), authorization.Groups["signature"].Value);
        Assert.False(request.Headers.ContainsKey("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task A_session_token_is_sent_and_covered_by_the_signature()
    {
        var (client, handler) = Create(new KinesisClientOptions
        {
            Region = "us-west-2",
            ServiceUrl = "http://127.0.0.1:4568",
            AccessKeyId = "ASIAEXAMPLE",
            SecretAccessKey = Secret,
            SessionToken = "session-token-value",
        });

        await client.DescribeStreamSummaryAsync("events");

        var request = Assert.Single(handler.Requests);
        Assert.Equal("session-token-value", request.Headers["X-Amz-Security-Token"]);
        var authorization = AuthorizationPattern().Match(request.Headers["Authorization"]);
        Assert.Contains("x-amz-security-token", authorization.Groups["signed"].Value.Split(';'));
        Assert.Equal(ExpectedSignature(request, Secret, "us-west-2"), authorization.Groups["signature"].Value);
    }

    [Fact]
    public async Task The_signature_depends_on_the_secret_and_the_body()
    {
        var options = new KinesisClientOptions { Region = "eu-west-1", ServiceUrl = "http://127.0.0.1:4568", AccessKeyId = AccessKey, SecretAccessKey = Secret };
        var (client, handler) = Create(options);
        var (otherSecretClient, otherSecretHandler) = Create(new KinesisClientOptions
        {
            Region = "eu-west-1",
            ServiceUrl = "http://127.0.0.1:4568",
            AccessKeyId = AccessKey,
            SecretAccessKey = "another-secret",
        });

        await client.DescribeStreamSummaryAsync("events");
        await client.DescribeStreamSummaryAsync("other-events");
        await otherSecretClient.DescribeStreamSummaryAsync("events");

        var signatures = handler.Requests.Concat(otherSecretHandler.Requests)
            .Select(r => AuthorizationPattern().Match(r.Headers["Authorization"]).Groups["signature"].Value)
            .ToList();
        Assert.Equal(3, signatures.Distinct().Count());
        Assert.NotEqual(ExpectedSignature(otherSecretHandler.Requests[0], Secret, "eu-west-1"), signatures[2]);
    }

    [Fact]
    public async Task The_host_header_and_request_line_follow_the_configured_endpoint()
    {
        var (client, handler) = Create(new KinesisClientOptions { Region = "eu-central-1", AccessKeyId = AccessKey, SecretAccessKey = Secret });

        await client.DescribeStreamSummaryAsync("events");

        var request = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("https://kinesis.eu-central-1.amazonaws.com/"), request.Uri);
        Assert.Equal("kinesis.eu-central-1.amazonaws.com", request.Headers["Host"]);
        Assert.Equal(ExpectedSignature(request, Secret, "eu-central-1"), AuthorizationPattern().Match(request.Headers["Authorization"]).Groups["signature"].Value);
    }

    /// <summary>
    /// An independent SigV4 computation (AWS General Reference, "Create a signed AWS API request") over what the
    /// handler received, so a header changed after signing, or a wrong scope, fails here.
    /// </summary>
    private static string ExpectedSignature(CapturedRequest request, string secret, string region)
    {
        var authorization = AuthorizationPattern().Match(request.Headers["Authorization"]);
        var signedHeaders = authorization.Groups["signed"].Value;
        var canonicalHeaders = string.Concat(signedHeaders.Split(';').Select(name => $"{name}:{request.Headers[name].Trim()}\n"));
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(request.Body));
        var canonicalRequest = $"POST\n{request.Uri.AbsolutePath}\n\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
        var amzDate = request.Headers["X-Amz-Date"];
        var date = amzDate[..8];
        var scope = $"{date}/{region}/kinesis/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { date, region, "kinesis", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static (KinesisClient Client, StubHttpHandler Handler) Create(KinesisClientOptions options)
    {
        var handler = new StubHttpHandler((_, _) => StubHttpHandler.Json(HttpStatusCode.OK, """
            {"StreamDescriptionSummary":{"StreamName":"events","StreamARN":"arn:aws:kinesis:eu-west-1:000000000000:stream/events",
             "StreamStatus":"ACTIVE","RetentionPeriodHours":24,"StreamCreationTimestamp":1714566896.5,"OpenShardCount":4}}
            """));
        var client = new KinesisClient(options, new HttpClient(handler), new FakeTimeProvider(Now));
        return (client, handler);
    }

    [GeneratedRegex("^AWS4-HMAC-SHA256 Credential=(?<credential>[^,]+), SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();
}
