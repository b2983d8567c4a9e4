using System.Text;
using System.Text.Json;
using Streaming.Core.Buffers;
using Streaming.Core.Lake;

namespace Streaming.Core.Tests.Support;

/// <summary>
/// A columnar writer for core tests: writes the rows as JSON lines (deterministic, readable) and remembers
/// each flushed buffer's rows, so tests can check exactly what a file would hold.
/// </summary>
internal sealed class RecordingFileWriter : IColumnarFileWriter
{
    public List<(PartitionKey Key, List<Dictionary<string, object?>> Rows)> Files { get; } = [];

    public string Extension => ".jsonl";

    public IEnumerable<Dictionary<string, object?>> AllRows => Files.SelectMany(f => f.Rows);

    /// <summary>Called as each encode starts, so a test can look at what is accounted meanwhile.</summary>
    public Action<PartitionBuffer>? OnWrite { get; set; }

    public async Task WriteAsync(PartitionBuffer buffer, Stream output, CancellationToken cancellationToken)
    {
        OnWrite?.Invoke(buffer);
        var rows = RowMaterializer.Rows(buffer);

        // Shard consumers publish the files of a round in parallel.
        lock (Files)
        {
            Files.Add((buffer.Key, rows));
        }

        foreach (var row in rows)
        {
            await output.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(row) + "\n"), cancellationToken);
        }
    }
}
