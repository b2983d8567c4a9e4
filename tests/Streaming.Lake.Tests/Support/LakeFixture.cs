using System.Text;
using Streaming.Core.Configuration;
using Streaming.Core.Ingest;
using Streaming.Core.Lake;
using Streaming.Parquet;
using Streaming.Storage.Local;

namespace Streaming.Lake.Tests.Support;

/// <summary>Runs lines through the real pipeline (Parquet.Net, local store) into a temporary lake.</summary>
internal static class LakeFixture
{
    public static async Task<LakeWriter> ConvertAsync(string lake, IEnumerable<string> lines, LakeOptions? options = null, string source = "input.ndjson")
    {
        options ??= new LakeOptions();
        var writer = await LakeWriter.OpenAsync(new LocalLakeStore(lake), new ParquetFileWriter(options), options);
        var text = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        await NdjsonIngest.IngestAsync(new MemoryStream(text), source, writer, options.MaxEventSize.Bytes, TimeProvider.System);
        await writer.FlushAllAsync(FlushReason.EndOfInput, CancellationToken.None);
        return writer;
    }
}
