using System.IO.Compression;
using System.Text;
using Streaming.Core.Backfill;

namespace Streaming.Core.Tests.Backfill;

public sealed class ChunkPlannerTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task A_large_plain_input_is_cut_into_fixed_ranges_named_by_their_bytes()
    {
        var input = new MemoryInput("s3://b/k", new byte[(int)(2 * MiB) + 10]);
        var pieces = await ChunkPlanner.PlanAsync(input, MiB, CancellationToken.None);
        Assert.Equal([(0L, MiB), (MiB, 2 * MiB), (2 * MiB, (2 * MiB) + 10)], pieces.Select(p => (p.Start, p.End!.Value)).ToArray());
        Assert.Equal("s3://b/k#bytes=1048576-2097151", pieces[1].SourceName);
        Assert.Equal("s3://b/k etag e1#bytes=1048576-2097151", pieces[1].Identity);
    }

    [Fact]
    public async Task Gzip_inputs_and_inputs_no_larger_than_a_chunk_stay_whole()
    {
        using var gz = new MemoryStream();
        using (var writer = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            var random = new Random(3);
            var noise = new byte[(int)(3 * MiB)];
            random.NextBytes(noise);
            writer.Write(noise);
        }

        var compressed = new MemoryInput("big.gz", gz.ToArray());
        Assert.True(compressed.Length > MiB);
        var small = new MemoryInput("small", Encoding.ASCII.GetBytes("{}\n"));
        var exact = new MemoryInput("exact", new byte[MiB]);
        foreach (var input in new[] { compressed, small, exact })
        {
            var piece = Assert.Single(await ChunkPlanner.PlanAsync(input, MiB, CancellationToken.None));
            Assert.True(piece.IsWhole);
            Assert.Equal(input.Name, piece.SourceName);
            Assert.Equal(input.Identity, piece.Identity);
        }
    }

    [Fact]
    public async Task Without_a_chunk_size_nothing_is_cut()
    {
        var input = new MemoryInput("f", new byte[(int)(3 * MiB)]);
        Assert.True(Assert.Single(await ChunkPlanner.PlanAsync(input, null, CancellationToken.None)).IsWhole);
    }
}
