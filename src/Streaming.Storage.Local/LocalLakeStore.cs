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

    // Local files are written synchronously: on Linux .NET's "asynchronous" file I/O only queues the same
    // blocking call to the thread pool, which costs thread hops and, on a single CPU, a lot of time.
    public Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(key);
        if (File.Exists(path))
        {
            return Task.FromResult(PutOutcome.AlreadyExists);
        }

        var temp = WriteTemp(path, content.Span);
        try
        {
            // File.Move without overwrite fails if the target exists: a concurrent writer cannot be clobbered.
            File.Move(temp, path, overwrite: false);
            return Task.FromResult(PutOutcome.Created);
        }
        catch (IOException) when (File.Exists(path))
        {
            return Task.FromResult(PutOutcome.AlreadyExists);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(key);
        var temp = WriteTemp(path, content.Span);
        File.Move(temp, path, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(key);
        try
        {
            return Task.FromResult<byte[]?>(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<byte[]?>(null);
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

    private static string WriteTemp(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        stream.Write(content);
        // On disk before it is visible under its name: a power cut must not leave a named, empty file.
        stream.Flush(flushToDisk: true);
        return temp;
    }
}
