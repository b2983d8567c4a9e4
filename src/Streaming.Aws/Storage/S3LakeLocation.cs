using System.Diagnostics.CodeAnalysis;
using Streaming.Aws.Storage.Internal;

namespace Streaming.Aws.Storage;

/// <summary>A lake root in S3: a bucket and a key prefix inside it (empty for the bucket's root), as in <c>s3://bucket/prefix</c>.</summary>
public sealed record S3LakeLocation
{
    public const string Scheme = "s3://";

    public S3LakeLocation(string bucket, string prefix)
    {
        Bucket = bucket;
        Prefix = NormalizePrefix(prefix);
    }

    public string Bucket { get; }

    /// <summary>The prefix without leading or trailing <c>/</c>.</summary>
    public string Prefix { get; }

    /// <summary>True when <paramref name="value"/> starts with <c>s3://</c>, whether or not the rest is valid.</summary>
    public static bool IsS3Uri(string? value) => value is not null && value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads <c>s3://bucket</c>, <c>s3://bucket/</c> or <c>s3://bucket/some/prefix/</c>. False when the scheme is not
    /// <c>s3</c>, the bucket name is not a valid S3 bucket name, or the prefix has empty, <c>.</c> or <c>..</c> segments.
    /// </summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out S3LakeLocation? location)
    {
        location = null;
        if (!IsS3Uri(value))
        {
            return false;
        }

        var rest = value![Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].TrimEnd('/');

        // A leading '/' in the prefix (s3://bucket//x) is an empty segment, not something to trim silently.
        if (!IsValidBucketName(bucket) || prefix.StartsWith('/') || !IsValidPrefix(prefix))
        {
            return false;
        }

        location = new S3LakeLocation(bucket, prefix);
        return true;
    }

    /// <summary>Copies the bucket and prefix into <paramref name="options"/> and returns it.</summary>
    public S3LakeStoreOptions ApplyTo(S3LakeStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Bucket = Bucket;
        options.Prefix = Prefix;
        return options;
    }

    public override string ToString() => Prefix.Length == 0 ? $"{Scheme}{Bucket}" : $"{Scheme}{Bucket}/{Prefix}";

    /// <summary>S3's rules for general purpose buckets: 3-63 of a-z, 0-9, '.', '-'; a letter or digit at both ends; no '..'.</summary>
    internal static bool IsValidBucketName(string? bucket) =>
        bucket is { Length: >= 3 and <= 63 }
        && bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
        && char.IsAsciiLetterOrDigit(bucket[0])
        && char.IsAsciiLetterOrDigit(bucket[^1])
        && !bucket.Contains("..", StringComparison.Ordinal);

    /// <summary>Empty, or '/'-separated segments (leading and trailing '/' allowed) none of which is empty, '.' or '..'.</summary>
    internal static bool IsValidPrefix(string? prefix)
    {
        var normalized = NormalizePrefix(prefix);
        return normalized.Length == 0 || S3KeyRules.IsValidRelativeKey(normalized);
    }

    internal static string NormalizePrefix(string? prefix) => (prefix ?? string.Empty).Trim('/');
}
