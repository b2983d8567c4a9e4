namespace Streaming.Aws.Storage.Internal;

/// <summary>
/// What a lake key (and the prefix it is put under) may look like: the same rules as the local store, so a lake
/// moves between a directory and a bucket unchanged, plus S3's limit of 1024 UTF-8 bytes per key.
/// </summary>
internal static class S3KeyRules
{
    public const int MaxKeyBytes = 1024;

    public static bool IsValidRelativeKey(string key) =>
        key.Length > 0
        && !key.Contains('\\', StringComparison.Ordinal)
        && !key.Any(char.IsControl)
        && key.Split('/').All(segment => segment is not ("" or "." or ".."));
}
