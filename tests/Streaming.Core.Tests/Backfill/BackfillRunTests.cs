using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Streaming.Core.Backfill;
using Streaming.Core.Configuration;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Backfill;

public sealed class BackfillRunTests
{
    private const long MiB = 1024 * 1024;

    private static readonly string[] Types = ["user_registration", "exercise_started", "payment", "login"];

    /// <summary>
    /// Events of several types over many hours, every type with its own fields in one order (the condition under which
    /// a run that creates the schemas writes the same bytes however its inputs interleave: docs/backfill.md), plus
    /// lines that are rejected.
    /// </summary>
    private static byte[] Events(int seed, int count)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var type = Types[random.Next(Types.Length)];
            var hour = random.Next(0, 48);
            text.Append(JsonSerializer.Serialize(new
            {
                id = $"{seed}-{i}",
                date = new DateTime(2021, 9, 16, 0, 0, 0, DateTimeKind.Utc).AddHours(hour).AddSeconds(random.Next(3600)).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                type,
                user_id = random.Next(100_000),
                locale = random.Next(2) == 0 ? "ja" : "en",
                @params = new { amount = random.Next(1000), note = new string('n', random.Next(0, 40)) },
            }));
            text.Append('\n');
            if (i % 5000 == 4999)
            {
                text.Append("not json at all\n");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(bytes);
        }

        return output.ToArray();
    }

    private static LakeOptions Options() => new()
    {
        // Small enough that pieces flush on size, and the large gzip one on its 1 MiB memory share, not only at their end.
        TargetFileSize = new ByteSize(256 * 1024),
        MemoryBudget = ByteSize.MiB(4),
    };

    private static List<IConvertInput> Inputs() =>
    [
        new MemoryInput("s3://raw/2021/09/16/00/s-1-2021-09-16-00-00-00-a", Events(1, 12_000)),
        new MemoryInput("s3://raw/2021/09/16/01/s-1-2021-09-16-01-00-00-b.gz", Gzip(Events(2, 30_000))),
        new MemoryInput("s3://raw/2021/09/16/02/s-1-2021-09-16-02-00-00-c", Events(3, 9_000)),
    ];

    private static async Task<(InMemoryLakeStore Store, RecordingFileWriter Files, BackfillResult Result)> RunAsync(
        IReadOnlyList<IConvertInput> inputs, int threads, long? chunk = MiB, InMemoryLakeStore? store = null, InputErrorMode mode = InputErrorMode.Skip)
    {
        store ??= new InMemoryLakeStore();
        var files = new RecordingFileWriter();
        var run = new BackfillRun(store, files, Options(), new BackfillOptions
        {
            Threads = threads,
            ChunkBytes = chunk,
            OnInputError = mode,
            RetryFirst = TimeSpan.FromMilliseconds(1),
            RetryLongest = TimeSpan.FromMilliseconds(1),
        });
        var result = await run.RunAsync(inputs, CancellationToken.None);
        return (store, files, result);
    }

    private static SortedDictionary<string, string> Snapshot(InMemoryLakeStore store) =>
        new(store.Objects.ToDictionary(kv => kv.Key, kv => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(kv.Value))), StringComparer.Ordinal);

    private static List<string> Rows(RecordingFileWriter files) =>
        files.AllRows.Select(r => JsonSerializer.Serialize(new SortedDictionary<string, object?>(r, StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task One_or_four_threads_write_the_same_keys_with_the_same_bytes()
    {
        var one = await RunAsync(Inputs(), threads: 1);
        var four = await RunAsync(Inputs(), threads: 4);
        Assert.Equal(Snapshot(one.Store), Snapshot(four.Store));

        // The large plain inputs were cut, the gzip one was not, and every piece has its marker.
        Assert.Equal(["s3://raw/2021/09/16/00/s-1-2021-09-16-00-00-00-a", "s3://raw/2021/09/16/02/s-1-2021-09-16-02-00-00-c"],
            one.Result.Pieces.Where(p => !p.Piece.IsWhole).Select(p => p.Piece.Input.Name).Distinct().ToArray());
        Assert.Equal(one.Result.Pieces.Count, one.Store.Objects.Keys.Count(k => k.StartsWith("_convert/", StringComparison.Ordinal)));
        Assert.Equal(51_000, one.Result.Stats.Rows);
        Assert.Equal(51_000, four.Result.Stats.RowsWritten);
    }

    [Fact]
    public async Task A_second_run_skips_every_input_and_changes_nothing_in_the_lake()
    {
        var first = await RunAsync(Inputs(), threads: 2);
        var before = Snapshot(first.Store);
        var second = await RunAsync(Inputs(), threads: 2, store: first.Store);
        Assert.Equal(first.Result.Pieces.Count, second.Result.Skipped);
        Assert.Equal(0, second.Result.Stats.Events);
        Assert.Empty(second.Files.Files);
        Assert.Equal(before, Snapshot(first.Store));
    }

    [Fact]
    public async Task A_run_that_died_after_some_files_redoes_its_unfinished_input_and_adds_no_file()
    {
        var complete = await RunAsync(Inputs(), threads: 1);

        // What a killed run leaves: the schemas (saved before a table's first file), every other data file, no marker.
        var partial = new InMemoryLakeStore();
        var keys = complete.Store.Objects.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var key in keys.Where((k, i) => k.StartsWith("_schemas/", StringComparison.Ordinal) || (i % 2 == 0 && !k.StartsWith("_convert/", StringComparison.Ordinal))))
        {
            partial.Objects[key] = complete.Store.Objects[key];
        }

        var resumed = await RunAsync(Inputs(), threads: 3, store: partial);
        var expected = Snapshot(complete.Store);
        var actual = Snapshot(partial);
        Assert.Equal(expected.Where(kv => !actual.Contains(kv)).Select(kv => kv.Key).ToList(), actual.Where(kv => !expected.Contains(kv)).Select(kv => kv.Key).ToList());
        Assert.Equal(expected, actual);
        Assert.Equal(0, resumed.Result.Skipped);
        Assert.True(resumed.Result.Stats.FilesAlreadyPresent > 0);
    }

    [Fact]
    public async Task Chunked_inputs_make_the_rows_unchunked_inputs_make()
    {
        var chunked = await RunAsync(Inputs(), threads: 2, chunk: MiB);
        var whole = await RunAsync(Inputs(), threads: 2, chunk: null);
        Assert.Contains(chunked.Result.Pieces, p => !p.Piece.IsWhole);
        Assert.All(whole.Result.Pieces, p => Assert.True(p.Piece.IsWhole));
        Assert.Equal(Rows(whole.Files), Rows(chunked.Files));
        Assert.Equal(whole.Result.Stats.Rejected, chunked.Result.Stats.Rejected);
    }

    [Fact]
    public async Task An_unreadable_input_is_reported_by_name_and_the_others_are_converted()
    {
        var inputs = Inputs();
        var gone = new MemoryInput("s3://raw/gone", Events(9, 10)) { Vanished = true };
        var corrupt = new MemoryInput("s3://raw/corrupt.gz", [0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var (store, _, result) = await RunAsync([gone, corrupt, .. inputs], threads: 2);
        Assert.Equal(["s3://raw/gone", "s3://raw/corrupt.gz"], result.Pieces.Where(p => p.State == PieceState.Failed).Select(p => p.Piece.Input.Name).ToArray());
        Assert.All(result.Pieces.Where(p => p.State == PieceState.Failed), p => Assert.StartsWith(p.Piece.Input.Name + ": ", p.Error, StringComparison.Ordinal));
        Assert.Equal(51_000, result.Stats.Rows);

        // No marker for the failed ones: a later run tries them again.
        var ledger = await ConvertLedger.LoadAsync(store, CancellationToken.None);
        Assert.False(ledger.IsDone(gone.Identity!));
        Assert.False(ledger.IsDone(corrupt.Identity!));
    }

    [Fact]
    public async Task With_stop_an_unreadable_input_stops_the_run_before_the_next_input()
    {
        var gone = new MemoryInput("s3://raw/gone", Events(9, 10)) { Vanished = true };
        var result = (await RunAsync([gone, .. Inputs()], threads: 1, mode: InputErrorMode.Stop)).Result;
        Assert.Equal(PieceState.Failed, result.Pieces[0].State);
        Assert.All(result.Pieces.Skip(1), p => Assert.Equal(PieceState.NotStarted, p.State));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_the_lake_is_the_one_a_clean_run_makes()
    {
        var clean = await RunAsync(Inputs(), threads: 1, chunk: null);
        var flaky = new MemoryInput("s3://raw/2021/09/16/00/s-1-2021-09-16-00-00-00-a", Events(1, 12_000), transientFailures: 2);
        var inputs = Inputs();
        inputs[0] = flaky;
        var retried = await RunAsync(inputs, threads: 1, chunk: null);
        Assert.Equal(3, flaky.Opens);
        Assert.Equal(0, retried.Result.Failed);
        Assert.Equal(Snapshot(clean.Store), Snapshot(retried.Store));
    }
}
