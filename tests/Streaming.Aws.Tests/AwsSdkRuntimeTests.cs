using Amazon;
using Amazon.Runtime.SharedInterfaces;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;

namespace Streaming.Aws.Tests;

/// <summary>
/// The published executable is trimmed and compiled ahead of time, so the SDK cannot load the STS client the
/// default credential chain needs for IRSA (web identity) by name: the product registers it at start.
/// </summary>
public sealed class AwsSdkRuntimeTests
{
    [Fact]
    public void The_sts_client_the_web_identity_credentials_need_is_registered_once_for_the_sdk_to_find()
    {
        AwsSdkRuntime.RegisterDependencies();
        AwsSdkRuntime.RegisterDependencies();

        var sts = GlobalRuntimeDependencyRegistry.Instance.GetInstance<ICoreAmazonSTS>(
            "AWSSDK.SecurityToken",
            "Amazon.SecurityToken.AmazonSecurityTokenServiceClient",
            new CreateInstanceContext(new SecurityTokenServiceClientContext { Region = RegionEndpoint.EUWest1 }));

        Assert.IsType<AmazonSecurityTokenServiceClient>(sts);
    }
}
