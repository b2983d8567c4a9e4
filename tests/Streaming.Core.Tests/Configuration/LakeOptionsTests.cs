using Streaming.Core.Configuration;

namespace Streaming.Core.Tests.Configuration;

public sealed class LakeOptionsTests
{
    [Theory]
    [InlineData("128MiB", 128L * 1024 * 1024)]
    [InlineData("128MB", 128L * 1024 * 1024)]
    [InlineData("512k", 512L * 1024)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("1000", 1000L)]
    public void Sizes_parse_with_units(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var size));
        Assert.Equal(bytes, size.Bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("12XB")]
    [InlineData("-5MiB")]
    public void Bad_sizes_do_not_parse(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
    }

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(new LakeOptions().Validate());
    }

    [Fact]
    public void Each_bad_value_is_reported_with_its_key()
    {
        var errors = new LakeOptions { TargetFileSize = new ByteSize(10), MaxOpenPartitions = 0, RowGroupRows = 5, MaxColumnsPerTable = 1, MaxEventSize = new ByteSize(1) }.Validate();
        Assert.Contains(errors, e => e.StartsWith("Streaming:Lake:TargetFileSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Lake:MaxOpenPartitions", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Lake:RowGroupRows", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Lake:MaxColumnsPerTable", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Lake:MaxEventSize", StringComparison.Ordinal));
    }
}
