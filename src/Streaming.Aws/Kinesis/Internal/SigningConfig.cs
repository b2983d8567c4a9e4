using Amazon.Runtime;
using Amazon.Runtime.Endpoints;

namespace Streaming.Aws.Kinesis.Internal;

/// <summary>
/// The client configuration AWS4Signer reads: it only needs the signing region and service name, both fixed here,
/// so none of the SDK's endpoint rules (which live in the service packages we cannot use) are consulted.
/// </summary>
internal sealed class SigningConfig : ClientConfig
{
    public SigningConfig(string region, string serviceName)
        : base(null!)
    {
        AuthenticationRegion = region;
        AuthenticationServiceName = serviceName;
        ServiceName = serviceName;
    }

    public string ServiceName { get; }

    public override string ServiceVersion => "2013-12-02";

    public override string UserAgent => "streaming-kinesis-client";

    public override string RegionEndpointServiceName => ServiceName;

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
        throw new NotSupportedException("The endpoint is resolved by KinesisEndpointResolver, not by SDK endpoint rules.");
}
