namespace Streaming.Aws.Tests.Interop;

internal static class UserRecordAssert
{
    /// <summary>
    /// Same records in the same order with the same keys and bytes. Fails on the first difference, naming the record
    /// and the first differing byte, instead of printing megabytes of payload.
    /// </summary>
    public static void Same(IReadOnlyList<UserRecordInput> expected, IReadOnlyList<UserRecordInput> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            var (want, got) = (expected[i], actual[i]);
            Assert.True(
                want.PartitionKey == got.PartitionKey && want.ExplicitHashKey == got.ExplicitHashKey,
                $"user record {i}: expected {want}, got {got}");
            var differsAt = want.Data.AsSpan().CommonPrefixLength(got.Data);
            Assert.True(
                differsAt == want.Data.Length && differsAt == got.Data.Length,
                $"user record {i} ({want}): data differs at byte {differsAt} (expected {want.Data.Length} bytes, got {got.Data.Length})");
        }

        Assert.True(expected.Count == actual.Count, $"expected {expected.Count} user records, got {actual.Count}");
    }
}
