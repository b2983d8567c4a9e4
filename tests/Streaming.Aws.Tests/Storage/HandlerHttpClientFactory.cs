using Amazon.Runtime;

namespace Streaming.Aws.Tests.Storage;

/// <summary>Makes the SDK send through a test handler (a stub, or a recorder in front of the real server).</summary>
internal sealed class HandlerHttpClientFactory : HttpClientFactory
{
    private readonly HttpMessageHandler _handler;

    public HandlerHttpClientFactory(HttpMessageHandler handler)
    {
        _handler = handler;
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(_handler, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
