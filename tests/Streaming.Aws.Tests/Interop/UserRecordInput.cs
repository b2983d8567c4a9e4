namespace Streaming.Aws.Tests.Interop;

/// <summary>A user record as the tests hand it to an aggregator, and as they expect it back.</summary>
internal sealed record UserRecordInput(string PartitionKey, string? ExplicitHashKey, byte[] Data)
{
    public override string ToString() =>
        $"{{key {PartitionKey.Length} chars '{Shorten(PartitionKey)}', hash key {ExplicitHashKey ?? "none"}, {Data.Length} bytes}}";

    private static string Shorten(string text) => text.Length > 24 ? text[..24] + "..." : text;
}
