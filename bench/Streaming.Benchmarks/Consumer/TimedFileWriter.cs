using Streaming.Core.Buffers;
using Streaming.Core.Lake;

namespace Streaming.Benchmarks.Consumer;

/// <summary>Charges the CPU of encoding to a counter: the Parquet writer writes to memory, so an encode runs synchronously on one thread.</summary>
internal sealed class TimedFileWriter : IColumnarFileWriter
{
    private readonly IColumnarFileWriter _inner;
    private long _nanoseconds;
    private long _files;
    private long _asynchronous;

    public TimedFileWriter(IColumnarFileWriter inner)
    {
        _inner = inner;
    }

    public string Extension => _inner.Extension;

    public TimeSpan Cpu => TimeSpan.FromTicks(Interlocked.Read(ref _nanoseconds) / 100);

    public long Files => Interlocked.Read(ref _files);

    /// <summary>Encodes that did not finish on the thread that started them (their CPU is then only partly counted).</summary>
    public long Asynchronous => Interlocked.Read(ref _asynchronous);

    public Task WriteAsync(PartitionBuffer buffer, Stream output, CancellationToken cancellationToken)
    {
        var started = ThreadCpu.Now();
        var writing = _inner.WriteAsync(buffer, output, cancellationToken);
        Interlocked.Add(ref _nanoseconds, ThreadCpu.Now() - started);
        Interlocked.Increment(ref _files);
        if (!writing.IsCompleted)
        {
            Interlocked.Increment(ref _asynchronous);
        }

        return writing;
    }
}
