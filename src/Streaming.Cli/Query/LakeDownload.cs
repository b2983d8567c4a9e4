using System.Diagnostics;
using System.Globalization;
using Streaming.Cli.Athena;
using Streaming.Core.Lake;

namespace Streaming.Cli.Query;

/// <summary>
/// A local copy of some tables of a lake, read through its <see cref="ILakeStore"/> (the project's own S3 store, with
/// its credentials, endpoints and retries) into a temporary folder that disposing deletes. Embedded DuckDB then reads
/// the copy as it reads a local lake; its own S3 reader (httpfs) is a separate download and is not needed.
/// </summary>
internal sealed class LakeDownload : IDisposable
{
    private const int Parallelism = 8;

    private LakeDownload(string directory, int files, long bytes, TimeSpan elapsed)
    {
        Directory = directory;
        Files = files;
        Bytes = bytes;
        Elapsed = elapsed;
    }

    public string Directory { get; }

    public int Files { get; }

    public long Bytes { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>Every data file of <paramref name="tables"/>, at the same keys under a new temporary folder.</summary>
    public static async Task<LakeDownload> CreateAsync(ILakeStore store, IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var directory = Path.Combine(Path.GetTempPath(), "streaming-query", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            var keys = new List<string>();
            foreach (var table in tables)
            {
                await foreach (var key in store.ListAsync(table + "/", cancellationToken).ConfigureAwait(false))
                {
                    if (key.EndsWith(".parquet", StringComparison.Ordinal) && PartitionYears.TryParseYear(key, table, out _))
                    {
                        keys.Add(key);
                    }
                }
            }

            long bytes = 0;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(keys, parallel, async (key, ct) =>
            {
                // A file listed and then gone cannot happen in the lake (files are never deleted); say so if it does.
                var content = await store.GetAsync(key, ct).ConfigureAwait(false)
                    ?? throw new IOException($"{store.Root}/{key} was listed but could not be read");
                var path = Path.Combine(directory, key.Replace('/', Path.DirectorySeparatorChar));
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, content, ct).ConfigureAwait(false);
                Interlocked.Add(ref bytes, content.LongLength);
            }).ConfigureAwait(false);
            return new LakeDownload(directory, keys.Count, bytes, Stopwatch.GetElapsedTime(started));
        }
        catch
        {
            Delete(directory);
            throw;
        }
    }

    public string Describe(string root) => string.Create(
        CultureInfo.InvariantCulture,
        $"read {Files} files ({Bytes / 1048576.0:N1} MiB) from {root} in {Elapsed.TotalSeconds:N1} s");

    public void Dispose() => Delete(Directory);

    private static void Delete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder, which the OS cleans; nothing else depends on it.
        }
    }
}
