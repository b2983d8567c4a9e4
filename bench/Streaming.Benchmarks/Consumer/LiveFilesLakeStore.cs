using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Streaming.Core.Lake;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// A lake in memory that keeps the schemas and, of each data file, only what the count needs: its key, rows, bytes,
/// the shard its first row came from and when (simulated time) it was written.
/// </summary>
internal sealed class LiveFilesLakeStore : ILakeStore
{
    private readonly ConcurrentDictionary<string, byte[]> _other = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LiveFilesFile> _files = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public LiveFilesLakeStore(TimeProvider time)
    {
        _time = time;
    }

    public string Root => "memory:";

    public IReadOnlyList<LiveFilesFile> Files => _files.Values.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();

    public Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        if (metadata is null || !metadata.TryGetValue("rows", out var rows) || !metadata.TryGetValue("first-source", out var first))
        {
            // Schemas (and rejected events, which this traffic has none of).
            return Task.FromResult(_other.TryAdd(key, content.ToArray()) ? PutOutcome.Created : PutOutcome.AlreadyExists);
        }

        var file = new LiveFilesFile(key, first[..first.IndexOf('/', StringComparison.Ordinal)], key[..key.IndexOf('/', StringComparison.Ordinal)], Hour(key), long.Parse(rows, CultureInfo.InvariantCulture), content.Length, _time.GetUtcNow());
        return Task.FromResult(_files.TryAdd(key, file) ? PutOutcome.Created : PutOutcome.AlreadyExists);
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        _other[key] = content.ToArray();
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult(_other.TryGetValue(key, out var content) ? content : null);

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var key in _other.Keys.Concat(_files.Keys).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            yield return key;
        }
    }

    /// <summary>The hour of a data key, <c>table/year=2025/month=03/day=01/hour=05/part-…</c>.</summary>
    private static DateTimeOffset Hour(string key)
    {
        int Part(string name)
        {
            var start = key.IndexOf(name + "=", StringComparison.Ordinal) + name.Length + 1;
            return int.Parse(key.AsSpan(start, key.IndexOf('/', start) - start), CultureInfo.InvariantCulture);
        }

        return new DateTimeOffset(Part("year"), Part("month"), Part("day"), Part("hour"), 0, 0, TimeSpan.Zero);
    }
}
