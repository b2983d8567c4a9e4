using Streaming.Aws.Storage;

namespace Streaming.Aws.Tests.Storage.Unit;

public sealed class S3LakeStoreOptionsTests
{
    [Fact]
    public void A_bucket_is_all_that_is_required_and_the_defaults_are_sane()
    {
        var options = new S3LakeStoreOptions { Bucket = "my-lake" };

        Assert.Empty(options.Validate());
        Assert.Equal((16L << 20, 8L << 20, false, "None"), (options.MultipartThreshold, options.PartSize, options.ForcePathStyle, options.ServerSideEncryption));
        Assert.Null(options.VerifyNoOverwrite);
    }

    [Fact]
    public void A_missing_bucket_is_reported_with_its_key()
    {
        var error = Assert.Single(new S3LakeStoreOptions().Validate());

        Assert.StartsWith("Streaming:S3:Bucket is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_wrong_value_is_reported_with_its_key()
    {
        var errors = new S3LakeStoreOptions
        {
            Bucket = "Not_A_Bucket",
            Prefix = "a//b",
            ServiceUrl = "ftp://nope",
            Region = "eu west 1",
            ServerSideEncryption = "SSE-C",
            PartSize = 1024,
            MultipartThreshold = 6L << 30,
            UploadConcurrency = 0,
            MaxRetries = 11,
            RequestTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(-1),
        }.Validate();

        string[] keys = ["Bucket", "Prefix", "ServiceUrl", "Region", "ServerSideEncryption", "PartSize", "MultipartThreshold", "UploadConcurrency", "MaxRetries", "RequestTimeout", "ConnectTimeout"];
        Assert.All(keys, key => Assert.Contains(errors, e => e.StartsWith($"Streaming:S3:{key} ", StringComparison.Ordinal)));
        Assert.Equal(keys.Length, errors.Count);
    }

    [Fact]
    public void Kms_needs_a_key_id_and_a_key_id_needs_kms()
    {
        var missing = Assert.Single(new S3LakeStoreOptions { Bucket = "my-lake", ServerSideEncryption = "aws:kms" }.Validate());
        var stray = Assert.Single(new S3LakeStoreOptions { Bucket = "my-lake", ServerSideEncryption = "AES256", KmsKeyId = "alias/x" }.Validate());

        Assert.StartsWith("Streaming:S3:KmsKeyId is required", missing, StringComparison.Ordinal);
        Assert.StartsWith("Streaming:S3:KmsKeyId is set", stray, StringComparison.Ordinal);
        Assert.Empty(new S3LakeStoreOptions { Bucket = "my-lake", ServerSideEncryption = "aws:kms", KmsKeyId = "alias/x" }.Validate());
    }

    [Fact]
    public void A_part_below_five_mebibytes_is_refused_because_S3_refuses_it()
    {
        var error = Assert.Single(new S3LakeStoreOptions { Bucket = "my-lake", PartSize = (5L << 20) - 1 }.Validate());

        Assert.StartsWith("Streaming:S3:PartSize", error, StringComparison.Ordinal);
        Assert.Empty(new S3LakeStoreOptions { Bucket = "my-lake", PartSize = 5L << 20 }.Validate());
    }

    [Fact]
    public void The_store_and_the_client_factory_refuse_invalid_options()
    {
        var options = new S3LakeStoreOptions { Bucket = "x" };

        var fromFactory = Assert.Throws<ArgumentException>(() => S3LakeClientFactory.Create(options));
        var fromStore = Assert.Throws<ArgumentException>(() => new S3LakeStore(options));

        Assert.Contains("Streaming:S3:Bucket", fromFactory.Message, StringComparison.Ordinal);
        Assert.Contains("Streaming:S3:Bucket", fromStore.Message, StringComparison.Ordinal);
    }
}
