using Streaming.Aws.Storage;

namespace Streaming.Aws.Tests.Storage.Unit;

public sealed class S3LakeLocationTests
{
    [Theory]
    [InlineData("s3://my-lake", "my-lake", "", "s3://my-lake")]
    [InlineData("s3://my-lake/", "my-lake", "", "s3://my-lake")]
    [InlineData("s3://my-lake/events", "my-lake", "events", "s3://my-lake/events")]
    [InlineData("s3://my-lake/lake/prod/", "my-lake", "lake/prod", "s3://my-lake/lake/prod")]
    [InlineData("S3://data.example.com/x", "data.example.com", "x", "s3://data.example.com/x")]
    public void A_lake_uri_names_a_bucket_and_a_prefix(string uri, string bucket, string prefix, string normalized)
    {
        Assert.True(S3LakeLocation.TryParse(uri, out var location));

        Assert.Equal((bucket, prefix, normalized), (location.Bucket, location.Prefix, location.ToString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("./lake")]
    [InlineData("file:///tmp/lake")]
    [InlineData("s3://")]
    [InlineData("s3:///events")]
    [InlineData("s3://My_Lake/events")]
    [InlineData("s3://ab/events")]
    [InlineData("s3://my-lake//events")]
    [InlineData("s3://my-lake/a//b")]
    [InlineData("s3://my-lake/../other")]
    [InlineData("s3://my-lake/a\\b")]
    public void Anything_else_is_not_a_lake_in_S3(string? uri)
    {
        Assert.False(S3LakeLocation.TryParse(uri, out var location));
        Assert.Null(location);
    }

    [Fact]
    public void A_location_fills_the_options_bucket_and_prefix()
    {
        Assert.True(S3LakeLocation.TryParse("s3://my-lake/events/", out var location));

        var options = location.ApplyTo(new S3LakeStoreOptions { Region = "eu-west-1" });

        Assert.Equal(("my-lake", "events", "eu-west-1"), (options.Bucket, options.Prefix, options.Region));
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Only_the_s3_scheme_is_recognised_as_S3()
    {
        Assert.True(S3LakeLocation.IsS3Uri("s3://anything"));
        Assert.False(S3LakeLocation.IsS3Uri("./s3://lake"));
        Assert.False(S3LakeLocation.IsS3Uri(null));
    }
}
