using Amazon.Runtime;

namespace Streaming.Aws.Tests.Leases.Unit;

/// <summary>Makes the SDK send through a test handler; not cached, so each client gets its own handler.</summary>
internal sealed class StubHttpClientFactory : HttpClientFactory
{
    private readonly HttpMessageHandler _handler;

    public StubHttpClientFactory(HttpMessageHandler handler)
    {
        _handler = handler;
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(_handler, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
