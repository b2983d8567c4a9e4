using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Streaming.Core.Configuration;
using Streaming.Core.Lake;

namespace Streaming.Core.Tests.Support;

/// <summary>A lake writer over an in-memory store, with helpers to feed lines and read rows and rejections back.</summary>
internal sealed class TestLake
{
    public static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private TestLake(LakeWriter writer, InMemoryLakeStore store, RecordingFileWriter files, FakeTimeProvider time)
    {
        Writer = writer;
        Store = store;
        Files = files;
        Time = time;
    }

    public LakeWriter Writer { get; }

    public InMemoryLakeStore Store { get; }

    public RecordingFileWriter Files { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<TestLake> CreateAsync(LakeOptions? options = null, InMemoryLakeStore? store = null, MemoryAccount? memory = null)
    {
        store ??= new InMemoryLakeStore();
        var files = new RecordingFileWriter();
        var time = new FakeTimeProvider(Now);
        var schemas = new Streaming.Core.Schema.SchemaRegistry(store);
        await schemas.LoadAsync(CancellationToken.None);
        var writer = LakeWriter.Create(store, files, options ?? new LakeOptions(), schemas, time, memory: memory);
        return new TestLake(writer, store, files, time);
    }

    /// <summary>Appends each line as one event (line numbers from 1), flushing whenever the writer asks.</summary>
    public async Task AppendAsync(params string[] lines)
    {
        var n = 0;
        foreach (var line in lines)
        {
            Writer.Append(Encoding.UTF8.GetBytes(line), SourcePosition.Line("test.ndjson", ++n), Time.GetUtcNow().ToUnixTimeMilliseconds());
            if (Writer.FlushPending)
            {
                await Writer.FlushDueAsync(CancellationToken.None);
            }
        }
    }

    public Task FlushAsync() => Writer.FlushAllAsync(FlushReason.EndOfInput, CancellationToken.None);

    /// <summary>Converts the lines and returns the single row they make.</summary>
    public static async Task<Dictionary<string, object?>> SingleRowAsync(string line)
    {
        var lake = await CreateAsync();
        await lake.AppendAsync(line);
        await lake.FlushAsync();
        return Assert.Single(lake.Files.AllRows);
    }

    public List<Dictionary<string, object?>> RowsOf(string table) =>
        Files.Files.Where(f => f.Key.Table == table).SelectMany(f => f.Rows).ToList();

    public List<JsonElement> Rejected() =>
        Store.Objects.Where(kv => kv.Key.StartsWith("_errors/", StringComparison.Ordinal))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => Gunzip(kv.Value).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();

    private static string Gunzip(byte[] data)
    {
        using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
