using Streaming.Core.Lake;

namespace Streaming.Benchmarks.Consumer;

/// <summary>Charges the CPU of creating objects to a counter (the local store writes synchronously).</summary>
internal sealed class TimedLakeStore : ILakeStore
{
    private readonly ILakeStore _inner;
    private long _nanoseconds;

    public TimedLakeStore(ILakeStore inner)
    {
        _inner = inner;
    }

    public string Root => _inner.Root;

    public TimeSpan Cpu => TimeSpan.FromTicks(Interlocked.Read(ref _nanoseconds) / 100);

    public Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var started = ThreadCpu.Now();
        var putting = _inner.PutIfAbsentAsync(key, content, metadata, cancellationToken);
        Interlocked.Add(ref _nanoseconds, ThreadCpu.Now() - started);
        return putting;
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => _inner.PutAsync(key, content, cancellationToken);

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => _inner.GetAsync(key, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => _inner.ListAsync(prefix, cancellationToken);
}
