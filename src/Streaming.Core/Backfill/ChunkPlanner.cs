using Streaming.Core.Decoding;

namespace Streaming.Core.Backfill;

/// <summary>
/// Cuts large plain inputs into fixed byte ranges of <c>chunkBytes</c> (the last one shorter), so that one large file
/// keeps every core busy. The size is an option, never derived from the machine: pieces, and so file names and
/// contents, are the same wherever the run happens. Compressed inputs are not cut (a gzip stream cannot be entered in
/// the middle); nor are inputs that cannot seek or whose size is unknown.
/// </summary>
internal static class ChunkPlanner
{
    public const long DefaultChunkBytes = 64L * 1024 * 1024;

    /// <summary>The pieces of <paramref name="input"/>, in order of their first byte.</summary>
    public static async Task<IReadOnlyList<ConvertPiece>> PlanAsync(IConvertInput input, long? chunkBytes, CancellationToken cancellationToken)
    {
        if (chunkBytes is not { } size || input.Length is not { } length || length <= size || !input.CanSeek
            || await IsCompressedAsync(input, cancellationToken).ConfigureAwait(false))
        {
            return [new ConvertPiece(input, 0, null)];
        }

        return Split(input, length, size);
    }

    /// <summary>The nominal ranges: [0, size), [size, 2 size) ... up to <paramref name="length"/>.</summary>
    public static IReadOnlyList<ConvertPiece> Split(IConvertInput input, long length, long size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var pieces = new List<ConvertPiece>((int)((length + size - 1) / size));
        for (var start = 0L; start < length; start += size)
        {
            pieces.Add(new ConvertPiece(input, start, Math.Min(length, start + size)));
        }

        return pieces;
    }

    private static async Task<bool> IsCompressedAsync(IConvertInput input, CancellationToken cancellationToken)
    {
        var stream = await input.OpenAsync(0, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var head = new byte[2];
            var n = await stream.ReadAtLeastAsync(head, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return Compression.IsGzip(head.AsSpan(0, n));
        }
    }
}
