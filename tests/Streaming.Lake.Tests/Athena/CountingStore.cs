using System.Runtime.CompilerServices;
using Streaming.Core.Lake;

namespace Streaming.Lake.Tests.Athena;

/// <summary>A lake store that counts the listings asked of it and the keys they gave before the caller stopped reading.</summary>
internal sealed class CountingStore : ILakeStore
{
    private readonly ILakeStore _inner;

    public CountingStore(ILakeStore inner)
    {
        _inner = inner;
    }

    public int Listings { get; private set; }

    public int KeysRead { get; private set; }

    public string Root => _inner.Root;

    public Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
        _inner.PutIfAbsentAsync(key, content, metadata, cancellationToken);

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => _inner.PutAsync(key, content, cancellationToken);

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => _inner.GetAsync(key, cancellationToken);

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Listings++;
        await foreach (var key in _inner.ListAsync(prefix, cancellationToken))
        {
            KeysRead++;
            yield return key;
        }
    }
}
