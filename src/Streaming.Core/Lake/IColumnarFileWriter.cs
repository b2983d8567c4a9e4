using Streaming.Core.Buffers;

namespace Streaming.Core.Lake;

/// <summary>Encodes a partition buffer as one columnar file (Parquet). Implemented by an adapter.</summary>
public interface IColumnarFileWriter
{
    /// <summary>The file name extension, with its dot.</summary>
    string Extension { get; }

    /// <summary>Writes every row of <paramref name="buffer"/>. The same buffer must always give the same bytes.</summary>
    Task WriteAsync(PartitionBuffer buffer, Stream output, CancellationToken cancellationToken);
}
