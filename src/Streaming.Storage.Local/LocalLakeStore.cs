using System.Runtime.CompilerServices;
using Streaming.Core.Lake;

namespace Streaming.Storage.Local;

/// <summary>
/// A lake in a local directory. Objects are written to a hidden temporary file in the target directory and
/// then linked into place without replacing anything, so a reader sees either no file or all of it, and an
/// existing file is never overwritten. Readers (Athena, DuckDB, Spark) skip names starting with '.' or '_'.
/// </summary>
public sealed class LocalLakeStore : ILakeStore
{
    private readonly string _root;

    public LocalLakeStore(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public string Root => _root;

    public async Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            return PutOutcome.AlreadyExists;
        }

        var temp = await WriteTempAsync(path, content, cancellationToken).ConfigureAwait(false);
        try
        {
            // File.Move without overwrite fails if the target exists: a concurrent writer cannot be clobbered.
            File.Move(temp, path, overwrite: false);
            return PutOutcome.Created;
        }
        catch (IOException) when (File.Exists(path))
        {
            return PutOutcome.AlreadyExists;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var temp = await WriteTempAsync(path, content, cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        // List from the deepest directory the prefix names, then filter by the full prefix.
        var slash = prefix.LastIndexOf('/');
        var directory = slash < 0 ? _root : PathOf(prefix[..slash]);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && !Path.GetFileName(key).StartsWith(".tmp-", StringComparison.Ordinal))
            {
                yield return key;
            }
        }
    }

    private string PathOf(string key)
    {
        if (key.Length == 0 || key.Contains('\\') || key.Split('/').Any(p => p is "" or "." or ".."))
        {
            throw new ArgumentException($"'{key}' is not a valid lake key", nameof(key));
        }

        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' escapes the lake root", nameof(key));
        }

        return path;
    }

    private static async Task<string> WriteTempAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        return temp;
    }
}
