using Amazon.Runtime;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;

namespace Streaming.Aws;

/// <summary>
/// What the AWS SDK finds by reflection in a JIT build but must be handed in an ahead-of-time compiled one. The
/// default credential chain's web identity (IRSA on EKS, the chart's way) and assume-role steps call STS through a
/// client the SDK loads by name; the published `streaming` executable is trimmed, so the client is registered here
/// once at start. Its requests (AssumeRoleWithWebIdentity) are signed by the token, hence anonymous credentials.
/// </summary>
public static class AwsSdkRuntime
{
    private static int _registered;

    public static void RegisterDependencies()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        GlobalRuntimeDependencyRegistry.Instance.RegisterSecurityTokenServiceClient(context => context.SecurityTokenServiceClientContextData?.Region is { } region
            ? new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), region)
            : new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials()));
    }
}
