using System.Diagnostics;
using System.Globalization;
using Streaming.Core.Buffers;
using Streaming.Core.Configuration;
using Streaming.Core.Ingest;
using Streaming.Core.Lake;
using Streaming.Parquet;
using Streaming.Storage.Local;

namespace Streaming.Benchmarks.Encoding;

/// <summary>
/// <c>streaming-bench encode &lt;events.ndjson&gt; [rounds=3]</c>: the cost of each lake candidate's encoding alone.
/// The file is ingested once, as <c>convert</c> does; at the final flush every buffer is encoded by every candidate
/// writer in turn, <c>rounds</c> times, the order of the candidates rotating each round, into a stream that only
/// counts bytes. Reports per candidate the median over rounds of the CPU (and wall) time spent encoding all
/// buffers, so the candidates are compared on the same buffers, in one process, alternating; the first round pays
/// the JIT of each candidate's code paths and the median leaves it out. CPU is the process's (an encode may continue
/// on another thread after an await); nothing else runs while a buffer is encoded, GC included in the cost.
/// </summary>
internal static class EncodeBenchmark
{
    private static readonly (string Name, LakeOptions Options)[] Candidates =
    [
        ("snappy-plain", new LakeOptions { Compression = ParquetCompression.Snappy, DeltaEncoding = false }),
        ("snappy", new LakeOptions { Compression = ParquetCompression.Snappy }),
        ("zstd1-plain", new LakeOptions { Compression = ParquetCompression.Zstd, DeltaEncoding = false }),
        ("zstd1", new LakeOptions { Compression = ParquetCompression.Zstd }),
        ("zstd1-unsorted", new LakeOptions { Compression = ParquetCompression.Zstd, SortByEventTime = false }),
        ("zstd3", new LakeOptions { Compression = ParquetCompression.Zstd, CompressionLevel = ParquetCompressionLevel.Optimal }),
    ];

    public static async Task<int> RunAsync(string input, int rounds)
    {
        var lake = Path.Combine(Path.GetTempPath(), $"streaming-encode-{Environment.ProcessId}");
        var recorder = new Recorder(rounds);
        try
        {
            var options = new LakeOptions();
            var writer = await LakeWriter.OpenAsync(new LocalLakeStore(lake), recorder, options).ConfigureAwait(false);
            await using (var file = File.OpenRead(input))
            {
                await NdjsonIngest.IngestAsync(file, input, writer, options.MaxEventSize.Bytes, TimeProvider.System).ConfigureAwait(false);
            }

            await writer.FlushAllAsync(FlushReason.EndOfInput, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(lake, recursive: true);
        }

        Console.WriteLine($"buffers {recorder.Buffers}, rows {recorder.Rows:N0}, rounds {rounds}");
        Console.WriteLine("| candidate | bytes | encode CPU s (median) | encode wall s (median) | CPU s per round |");
        Console.WriteLine("| --- | ---: | ---: | ---: | --- |");
        for (var c = 0; c < Candidates.Length; c++)
        {
            var cpu = recorder.Cpu[c].Select(ns => ns / 1e9).ToList();
            var wall = recorder.Wall[c].Select(ns => ns / 1e9).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Candidates[c].Name} | {recorder.Bytes[c]:N0} | {Median(cpu):F3} | {Median(wall):F3} | {string.Join(' ', cpu.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))} |"));
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[(sorted.Count - 1) / 2];
    }

    /// <summary>Encodes each buffer with every candidate, rounds times, then writes the default's bytes as the file.</summary>
    private sealed class Recorder : IColumnarFileWriter
    {
        private readonly int _rounds;
        private readonly ParquetFileWriter[] _writers = [.. Candidates.Select(c => new ParquetFileWriter(c.Options))];
        private readonly ParquetFileWriter _default = new(new LakeOptions());

        public Recorder(int rounds)
        {
            _rounds = rounds;
            Cpu = [.. Candidates.Select(_ => new long[rounds])];
            Wall = [.. Candidates.Select(_ => new long[rounds])];
            Bytes = new long[Candidates.Length];
        }

        public long[][] Cpu { get; }

        public long[][] Wall { get; }

        public long[] Bytes { get; }

        public int Buffers { get; private set; }

        public long Rows { get; private set; }

        public string Extension => ".parquet";

        public async Task WriteAsync(PartitionBuffer buffer, Stream output, CancellationToken cancellationToken)
        {
            Buffers++;
            Rows += buffer.RowCount;
            for (var round = 0; round < _rounds; round++)
            {
                for (var k = 0; k < _writers.Length; k++)
                {
                    var c = (k + round) % _writers.Length;
                    var counter = new CountingStream();
                    var cpu = Environment.CpuUsage.TotalTime.Ticks;
                    var wall = Stopwatch.GetTimestamp();
                    await _writers[c].WriteAsync(buffer, counter, cancellationToken).ConfigureAwait(false);
                    Cpu[c][round] += (Environment.CpuUsage.TotalTime.Ticks - cpu) * 100;
                    Wall[c][round] += (long)Stopwatch.GetElapsedTime(wall).TotalNanoseconds;
                    if (round == 0)
                    {
                        Bytes[c] += counter.Length;
                    }
                }
            }

            await _default.WriteAsync(buffer, output, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
