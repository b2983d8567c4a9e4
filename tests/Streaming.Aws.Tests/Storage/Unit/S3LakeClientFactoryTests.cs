using Amazon.Runtime;
using Amazon.S3;
using Streaming.Aws.Storage;

namespace Streaming.Aws.Tests.Storage.Unit;

public sealed class S3LakeClientFactoryTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_client_computes_checksums_only_when_required_and_uses_the_options_retries_and_timeouts()
    {
        var config = S3LakeClientFactory.CreateConfig(
            new S3LakeStoreOptions { Bucket = "my-lake", Region = "eu-west-1", MaxRetries = 5, RequestTimeout = TimeSpan.FromSeconds(20) },
            Environment());

        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, config.RequestChecksumCalculation);
        Assert.Equal(ResponseChecksumValidation.WHEN_REQUIRED, config.ResponseChecksumValidation);
        Assert.Equal((RequestRetryMode.Standard, 5, TimeSpan.FromSeconds(20)), (config.RetryMode, config.MaxErrorRetry, config.Timeout));
        Assert.Equal("eu-west-1", config.RegionEndpoint?.SystemName);
        Assert.Null(config.ServiceURL);
        Assert.False(config.ForcePathStyle);
    }

    [Fact]
    public void An_endpoint_option_wins_over_the_environment_and_the_region_only_signs()
    {
        var config = S3LakeClientFactory.CreateConfig(
            new S3LakeStoreOptions { Bucket = "my-lake", ServiceUrl = "http://127.0.0.1:4570", Region = "us-east-1", ForcePathStyle = true },
            Environment(("AWS_ENDPOINT_URL_S3", "http://elsewhere:1")));

        Assert.Equal("http://127.0.0.1:4570/", config.ServiceURL);
        Assert.Equal("us-east-1", config.AuthenticationRegion);
        Assert.True(config.ForcePathStyle);
    }

    [Theory]
    [InlineData("http://minio:9000", null, "http://minio:9000/")]
    [InlineData(null, "http://everything:4566", "http://everything:4566/")]
    [InlineData("http://minio:9000", "http://everything:4566", "http://minio:9000/")]
    public void Without_an_option_the_service_variable_then_the_global_one_name_the_endpoint(string? s3, string? global, string expected)
    {
        var variables = new List<(string, string)>();
        if (s3 is not null)
        {
            variables.Add(("AWS_ENDPOINT_URL_S3", s3));
        }

        if (global is not null)
        {
            variables.Add(("AWS_ENDPOINT_URL", global));
        }

        var config = S3LakeClientFactory.CreateConfig(new S3LakeStoreOptions { Bucket = "my-lake" }, Environment([.. variables]));

        Assert.Equal(expected, config.ServiceURL);
    }

    [Fact]
    public void Configured_endpoints_can_be_ignored_and_a_bad_one_is_a_configuration_error()
    {
        var ignored = S3LakeClientFactory.CreateConfig(
            new S3LakeStoreOptions { Bucket = "my-lake", Region = "eu-west-1" },
            Environment(("AWS_ENDPOINT_URL_S3", "http://minio:9000"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")));
        var error = Assert.Throws<LakeStoreConfigurationException>(() => S3LakeClientFactory.CreateConfig(
            new S3LakeStoreOptions { Bucket = "my-lake" },
            Environment(("AWS_ENDPOINT_URL_S3", "minio:9000"))));

        Assert.Null(ignored.ServiceURL);
        Assert.Contains("AWS_ENDPOINT_URL_S3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_head_check_is_on_by_default_exactly_when_an_endpoint_is_configured()
    {
        using var aws = new AmazonS3Client(new BasicAWSCredentials("a", "b"), S3LakeClientFactory.CreateConfig(new S3LakeStoreOptions { Bucket = "my-lake", Region = "eu-west-1" }, Environment()));
        using var other = new AmazonS3Client(new BasicAWSCredentials("a", "b"), S3LakeClientFactory.CreateConfig(new S3LakeStoreOptions { Bucket = "my-lake", ServiceUrl = "http://minio:9000" }, Environment()));

        Assert.False(new S3LakeStore(aws, new S3LakeStoreOptions { Bucket = "my-lake" }).VerifiesNoOverwrite);
        Assert.True(new S3LakeStore(other, new S3LakeStoreOptions { Bucket = "my-lake" }).VerifiesNoOverwrite);
        Assert.True(new S3LakeStore(aws, new S3LakeStoreOptions { Bucket = "my-lake", VerifyNoOverwrite = true }).VerifiesNoOverwrite);
        Assert.False(new S3LakeStore(other, new S3LakeStoreOptions { Bucket = "my-lake", VerifyNoOverwrite = false }).VerifiesNoOverwrite);
    }
}
