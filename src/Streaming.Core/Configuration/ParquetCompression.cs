namespace Streaming.Core.Configuration;

public enum ParquetCompression
{
    Snappy,
    Zstd,
    Gzip,
    None,
}
