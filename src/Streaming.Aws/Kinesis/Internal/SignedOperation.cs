using Amazon.Runtime;

namespace Streaming.Aws.Kinesis.Internal;

/// <summary>The SDK's request type carries marshalling state we do not use; the signer only needs an instance.</summary>
internal sealed class SignedOperation : AmazonWebServiceRequest
{
    public static SignedOperation Instance { get; } = new();
}
