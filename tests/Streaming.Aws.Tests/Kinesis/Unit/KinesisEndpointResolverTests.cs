using Streaming.Aws.Kinesis;
using Streaming.Aws.Kinesis.Internal;

namespace Streaming.Aws.Tests.Kinesis.Unit;

public sealed class KinesisEndpointResolverTests
{
    [Fact]
    public void The_explicit_service_url_wins_over_the_environment()
    {
        var endpoint = KinesisEndpointResolver.ResolveEndpoint(
            "http://127.0.0.1:4568",
            "eu-west-1",
            Environment(("AWS_ENDPOINT_URL_KINESIS", "http://kinesis.local:1"), ("AWS_ENDPOINT_URL", "http://all.local:2")));

        Assert.Equal(new Uri("http://127.0.0.1:4568"), endpoint);
    }

    [Fact]
    public void The_service_specific_variable_wins_over_the_global_one()
    {
        var endpoint = KinesisEndpointResolver.ResolveEndpoint(
            null,
            "eu-west-1",
            Environment(("AWS_ENDPOINT_URL_KINESIS", "http://kinesis.local:1"), ("AWS_ENDPOINT_URL", "http://all.local:2")));

        Assert.Equal(new Uri("http://kinesis.local:1"), endpoint);
    }

    [Fact]
    public void The_global_variable_is_used_when_nothing_more_specific_is_set()
    {
        var endpoint = KinesisEndpointResolver.ResolveEndpoint(null, "eu-west-1", Environment(("AWS_ENDPOINT_URL", "http://all.local:2")));

        Assert.Equal(new Uri("http://all.local:2"), endpoint);
    }

    [Fact]
    public void Configured_endpoint_variables_can_be_ignored()
    {
        var endpoint = KinesisEndpointResolver.ResolveEndpoint(
            null,
            "eu-west-1",
            Environment(("AWS_ENDPOINT_URL", "http://all.local:2"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")));

        Assert.Equal(new Uri("https://kinesis.eu-west-1.amazonaws.com/"), endpoint);
    }

    [Theory]
    [InlineData("eu-west-1", "https://kinesis.eu-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", "https://kinesis.cn-north-1.amazonaws.com.cn/")]
    [InlineData("us-gov-west-1", "https://kinesis.us-gov-west-1.amazonaws.com/")]
    public void Without_configuration_the_endpoint_is_the_regional_one_of_the_partition(string region, string expected)
    {
        Assert.Equal(new Uri(expected), KinesisEndpointResolver.ResolveEndpoint(null, region, Environment()));
    }

    [Fact]
    public void A_malformed_endpoint_variable_names_the_variable()
    {
        var error = Assert.Throws<KinesisException>(
            () => KinesisEndpointResolver.ResolveEndpoint(null, "eu-west-1", Environment(("AWS_ENDPOINT_URL_KINESIS", "not a url"))));

        Assert.Contains("AWS_ENDPOINT_URL_KINESIS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configured_region_wins_and_the_SDK_chain_is_asked_only_without_one()
    {
        var asked = 0;
        string? Sdk()
        {
            asked++;
            return "ap-southeast-2";
        }

        Assert.Equal("eu-west-1", KinesisEndpointResolver.ResolveRegion("eu-west-1", Sdk));
        Assert.Equal(0, asked);
        Assert.Equal("ap-southeast-2", KinesisEndpointResolver.ResolveRegion(null, Sdk));
        Assert.Equal(1, asked);
    }

    [Fact]
    public void Without_any_region_the_error_says_which_key_to_set()
    {
        var error = Assert.Throws<KinesisException>(() => KinesisEndpointResolver.ResolveRegion(null, () => null));

        Assert.Equal("RegionNotConfigured", error.ErrorCode);
        Assert.Contains("Streaming:Kinesis:Region", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }
}
