using System.Text;
using Streaming.Core.Configuration;
using Streaming.Core.Lake;
using Streaming.Core.Schema;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Lake;

public sealed class LakePublisherTests
{
    /// <summary>A lake whose data uploads wait until the test lets them go.</summary>
    private sealed class GatedLake(ILakeStore inner) : ILakeStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Root => inner.Root;

        public async Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
        {
            if (!key.StartsWith('_'))
            {
                Entered.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await inner.PutIfAbsentAsync(key, content, metadata, cancellationToken);
        }

        public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutAsync(key, content, cancellationToken);

        public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);
    }

    [Fact]
    public async Task An_encoded_file_waiting_for_its_upload_counts_against_the_budget_until_it_is_in_the_lake()
    {
        var lake = new GatedLake(new InMemoryLakeStore());
        var memory = new MemoryAccount();
        var schemas = new SchemaRegistry(lake);
        var router = new LakeRouter(new LakeOptions(), schemas, memory: memory);
        var publisher = new LakePublisher(lake, new RecordingFileWriter(), schemas, memory: memory);
        for (var i = 0; i < 2000; i++)
        {
            router.Append(Encoding.UTF8.GetBytes($$"""{"id":"{{i}}","type":"t","date":"2021-09-16T05:00:00Z","pad":"{{new string('x', 50)}}"}"""), SourcePosition.Line("f", i + 1), 0);
        }

        var due = Assert.Single(router.TakeAll(FlushReason.EndOfInput));
        var buffered = memory.Bytes;
        Assert.Equal(due.Bytes, buffered);

        var publishing = publisher.PublishAsync(due, CancellationToken.None);
        await lake.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(memory.Bytes > buffered + (2000 * 50), $"{memory.Bytes} bytes counted while the file waits for its upload; buffers alone {buffered}");

        lake.Release.SetResult();
        var file = await publishing;
        Assert.Equal(PutOutcome.Created, file.Outcome);
        Assert.Equal(buffered, memory.Bytes);
        router.Release(due);
        Assert.Equal(0, memory.Bytes);
    }

    [Fact]
    public async Task An_encode_holds_a_reservation_as_large_as_its_buffer_until_it_ends()
    {
        var lake = new InMemoryLakeStore();
        var memory = new MemoryAccount();
        var schemas = new SchemaRegistry(lake);
        var router = new LakeRouter(new LakeOptions(), schemas, memory: memory);
        var writer = new RecordingFileWriter();
        var duringEncode = new List<(long Counted, long Buffer)>();
        writer.OnWrite = buffer => duringEncode.Add((memory.Bytes, buffer.AllocatedBytes));
        var publisher = new LakePublisher(lake, writer, schemas, memory: memory);
        for (var i = 0; i < 500; i++)
        {
            router.Append(Encoding.UTF8.GetBytes($$"""{"id":"{{i}}","type":"t{{i % 2}}","date":"2021-09-16T05:00:00Z","n":{{i}}}"""), SourcePosition.Line("f", i + 1), 0);
        }

        var due = router.TakeAll(FlushReason.EndOfInput);
        Assert.Equal(2, due.Count);
        var buffered = memory.Bytes;
        Assert.Equal(due.Sum(d => d.Bytes), buffered);
        foreach (var d in due)
        {
            await publisher.PublishAsync(d, CancellationToken.None);
        }

        // Both buffers stay counted until the router releases them; each encode adds its own size on top.
        Assert.Equal(due.Select(d => buffered + d.Bytes), duringEncode.Select(e => e.Counted));
        Assert.Equal(due.Select(d => d.Bytes), duringEncode.Select(e => e.Buffer));
        Assert.Equal(buffered, memory.Bytes);
        due.ForEach(router.Release);
        Assert.Equal(0, memory.Bytes);
    }

    [Fact]
    public async Task Past_the_publishing_limit_a_publish_waits_until_the_files_in_flight_are_uploaded()
    {
        var lake = new GatedLake(new InMemoryLakeStore());
        var memory = new MemoryAccount();
        var schemas = new SchemaRegistry(lake);
        var router = new LakeRouter(new LakeOptions(), schemas, memory: memory);
        var writer = new RecordingFileWriter();
        // One byte: only one file at a time may be encoded or wait for its upload.
        var publisher = new LakePublisher(lake, writer, schemas, memory: memory, publishingLimit: 1);
        for (var i = 0; i < 300; i++)
        {
            router.Append(Encoding.UTF8.GetBytes($$"""{"id":"{{i}}","type":"t{{i % 3}}","date":"2021-09-16T05:00:00Z"}"""), SourcePosition.Line("f", i + 1), 0);
        }

        var due = router.TakeAll(FlushReason.EndOfInput);
        Assert.Equal(3, due.Count);
        var buffered = memory.Bytes;
        var publishing = due.Select(d => publisher.PublishAsync(d, CancellationToken.None)).ToList();
        await lake.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);

        // The first file waits for its upload; the other two have not even been encoded.
        Assert.Single(writer.Files);
        Assert.True(memory.Bytes - buffered is > 0 and < 100 * 1024, $"{memory.Bytes - buffered} bytes in flight");
        Assert.All(publishing, p => Assert.False(p.IsCompleted));

        lake.Release.SetResult();
        var files = await Task.WhenAll(publishing);
        Assert.All(files, f => Assert.Equal(PutOutcome.Created, f.Outcome));
        Assert.Equal(3, writer.Files.Count);
        Assert.Equal(buffered, memory.Bytes);
    }
}
