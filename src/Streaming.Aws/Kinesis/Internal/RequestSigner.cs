using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace Streaming.Aws.Kinesis.Internal;

/// <summary>
/// Builds a SigV4-signed HTTP request for one JSON 1.1 call. The canonical request, payload hash and signature are
/// all computed by AWSSDK.Core's <see cref="AWS4Signer"/>; this class only moves headers between the SDK's request
/// model and <see cref="HttpRequestMessage"/>.
/// </summary>
internal sealed class RequestSigner
{
    public const string ServiceName = "kinesis";
    public const string ContentType = "application/x-amz-json-1.1";
    public const string TargetPrefix = "Kinesis_20131202.";

    private static readonly MediaTypeHeaderValue JsonContentType = new(ContentType);

    private readonly AWS4Signer _signer = new(signPayload: true);
    private readonly SigningConfig _config;
    private readonly Uri _endpoint;
    private readonly string _resourcePath;
    private readonly string _region;

    public RequestSigner(Uri serviceUrl, string region)
    {
        _endpoint = new Uri(serviceUrl.GetLeftPart(UriPartial.Authority) + "/");
        _resourcePath = string.IsNullOrEmpty(serviceUrl.AbsolutePath) ? "/" : serviceUrl.AbsolutePath;
        _region = region;
        _config = new SigningConfig(region, ServiceName);
        RequestUri = new Uri(_endpoint, _resourcePath);
    }

    public Uri RequestUri { get; }

    public HttpRequestMessage CreateSignedRequest(string operation, byte[] body, ImmutableCredentials credentials, DateTime signedAtUtc)
    {
        var request = new DefaultRequest(SignedOperation.Instance, ServiceName)
        {
            HttpMethod = "POST",
            Endpoint = _endpoint,
            ResourcePath = _resourcePath,
            Content = body,
            AuthenticationRegion = _region,
            OverrideSigningServiceName = ServiceName,
        };
        request.Headers["Content-Type"] = ContentType;
        request.Headers["X-Amz-Target"] = TargetPrefix + operation;
        if (credentials.UseToken)
        {
            // The SDK's pipeline adds the session token before signing; we sign outside that pipeline, so we add it.
            request.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var signature = _signer.SignRequest(request, _config, null, credentials.AccessKey, credentials.SecretKey, signedAtUtc);
        request.Headers["Authorization"] = signature.ForAuthorizationHeader;

        var message = new HttpRequestMessage(HttpMethod.Post, RequestUri)
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = JsonContentType;
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
                continue;
            }

            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }
}
