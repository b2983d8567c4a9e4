using Streaming.Aws.Kinesis;

namespace Streaming.Aws.Tests.Kinesis.Unit;

public sealed class KinesisClientOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(new KinesisClientOptions().Validate());
    }

    [Fact]
    public void Each_wrong_value_is_reported_with_its_key_and_an_example()
    {
        var errors = new KinesisClientOptions
        {
            ServiceUrl = "ftp://nope",
            AccessKeyId = "AKID",
            MaxRetries = -1,
            BaseRetryDelay = TimeSpan.Zero,
            RequestTimeout = TimeSpan.Zero,
        }.Validate();

        Assert.Contains(errors, e => e.StartsWith("Streaming:Kinesis:ServiceUrl", StringComparison.Ordinal) && e.Contains("http://127.0.0.1:4568", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Streaming:Kinesis:SecretAccessKey", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Kinesis:MaxRetries", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Kinesis:BaseRetryDelay", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Kinesis:RequestTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void The_client_refuses_invalid_options()
    {
        var error = Assert.Throws<ArgumentException>(() => new KinesisClient(new KinesisClientOptions { MaxRetries = 100 }));

        Assert.Contains("Streaming:Kinesis:MaxRetries", error.Message, StringComparison.Ordinal);
    }
}
