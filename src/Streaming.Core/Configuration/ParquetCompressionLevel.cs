namespace Streaming.Core.Configuration;

/// <summary>How hard the Parquet codec works; Parquet.Net maps these to Zstd levels 1, 3 and 19.</summary>
public enum ParquetCompressionLevel
{
    Fastest,
    Optimal,
    Smallest,
}
