using System.Reflection;

namespace Streaming.Aws.Tests.Kinesis.Unit;

public sealed class CredentialChainTests
{
    [Fact]
    public void The_STS_assembly_that_web_identity_credentials_load_by_name_ships_with_the_client()
    {
        // AWSSDK.Core creates web-identity (IRSA) credentials by loading AWSSDK.SecurityToken at run time; without it
        // the default chain silently skips that source and pods fall back to the node's instance role.
        var sts = Assembly.Load("AWSSDK.SecurityToken");

        Assert.NotNull(sts.GetType("Amazon.SecurityToken.AmazonSecurityTokenServiceClient"));
    }
}
