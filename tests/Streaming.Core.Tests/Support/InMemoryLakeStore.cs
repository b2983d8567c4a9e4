using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Streaming.Core.Lake;

namespace Streaming.Core.Tests.Support;

/// <summary>A lake held in a dictionary: the hand-written fake for core tests (adapters are tested for real).</summary>
internal sealed class InMemoryLakeStore : ILakeStore
{
    public ConcurrentDictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    public string Root => "memory://";

    public Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
        Task.FromResult(Objects.TryAdd(key, content.ToArray()) ? PutOutcome.Created : PutOutcome.AlreadyExists);

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Objects[key] = content.ToArray();
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(Objects.TryGetValue(key, out var v) ? v : null);

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var key in Objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            yield return key;
        }
    }
}
