using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Streaming.Aws.Storage;
using Streaming.TestSupport.Emulators;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// <c>streaming convert s3://...</c> against s3rver: objects named the way Firehose names them, plain and gzip mixed,
/// converted into a local lake and compared value for value with the lake <c>convert</c> makes of the same lines in
/// one local file; re-runs, a resume after SIGKILL, thread counts and chunking.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class S3BackfillTests : IDisposable
{
    private readonly StackFixture _stack;
    private readonly string _prefix = $"raw-{Guid.NewGuid():N}"[..12];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "streaming-e2e-backfill", Guid.NewGuid().ToString("N"));

    public S3BackfillTests(StackFixture stack)
    {
        _stack = stack;
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Uri S3 => _stack.Stack.S3Endpoint;

    private string Source => $"s3://{StackFixture.Bucket}/{_prefix}/";

    private string Dir(string name) => Path.Combine(_root, name);

    private AmazonS3Client Client() => S3LakeClientFactory.Create(
        new S3LakeStoreOptions { Bucket = StackFixture.Bucket, ServiceUrl = S3.ToString(), ForcePathStyle = true, Region = LocalAwsStack.Region },
        new Amazon.Runtime.BasicAWSCredentials(LocalAwsStack.AccessKeyId, LocalAwsStack.SecretAccessKey));

    /// <summary><c>prefix/YYYY/MM/DD/HH/&lt;stream&gt;-&lt;n&gt;-YYYY-MM-DD-HH-MM-SS-&lt;uuid&gt;[.gz]</c>, as Firehose writes.</summary>
    private string FirehoseKey(int index, bool gzip)
    {
        var at = new DateTime(2021, 9, 16, 0, 0, 0, DateTimeKind.Utc).AddMinutes(index * 17);
        var uuid = new Guid(index, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);
        return $"{_prefix}/{at:yyyy/MM/dd/HH}/events-1-{at:yyyy-MM-dd-HH-mm-ss}-{uuid}{(gzip ? ".gz" : string.Empty)}";
    }

    private static byte[] Join(IEnumerable<byte[]> lines)
    {
        using var output = new MemoryStream();
        foreach (var line in lines)
        {
            output.Write(line);
            output.WriteByte((byte)'\n');
        }

        return output.ToArray();
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

    private async Task PutAsync(string key, byte[] content)
    {
        using var client = Client();
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = StackFixture.Bucket,
            Key = key,
            InputStream = new MemoryStream(content),
            UseChunkEncoding = false,
        });
    }

    /// <summary>Puts the lines as <paramref name="objects"/> Firehose objects, every other one gzip; returns their keys.</summary>
    private async Task<List<string>> PutFirehoseObjectsAsync(IReadOnlyList<byte[]> lines, int objects, int firstIndex = 0)
    {
        var keys = new List<string>();
        var per = (lines.Count + objects - 1) / objects;
        for (var i = 0; i < objects; i++)
        {
            var gzip = i % 2 == 1;
            var content = Join(lines.Skip(i * per).Take(per));
            var key = FirehoseKey(firstIndex + i, gzip);
            await PutAsync(key, gzip ? Gzip(content) : content);
            keys.Add(key);
        }

        return keys;
    }

    private static JsonElement Json(string output) => JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;

    [Fact]
    public async Task Firehose_objects_plain_gzip_and_corrupt_make_the_lake_a_local_file_makes_and_a_rerun_skips_them_and_adds_nothing()
    {
        var batch = CorpusBatch.Create("backfill", 3000, seed: 41);
        var expected = await ReferenceLake.BuildAsync(Dir("expected"), batch);
        var lines = batch.Lines.ToList();
        await PutFirehoseObjectsAsync(lines, objects: 6);
        var corrupt = FirehoseKey(99, gzip: true);
        await PutAsync(corrupt, [0x1f, 0x8b, 0x08, 0x00, .. Encoding.ASCII.GetBytes("this is not deflate data at all")]);
        await PutAsync($"{_prefix}/2021/09/16/", []);

        var lake = Dir("lake");
        var (code, output, error) = await ConvertProcess.RunAsync(S3, Source, "--lake", lake, "--json", "--threads", "4");
        Assert.True(code == 1, $"exit {code}: one input is corrupt\n{output}\n{error}");
        var summary = Json(output);
        Assert.Equal(7, summary.GetProperty("objects").GetInt32());
        Assert.Equal(6, summary.GetProperty("converted").GetInt32());
        Assert.Equal(1, summary.GetProperty("failed").GetInt32());
        Assert.Equal(0, summary.GetProperty("skipped").GetInt32());
        Assert.StartsWith($"s3://{StackFixture.Bucket}/{corrupt}: ", summary.GetProperty("failed_inputs")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains($"s3://{StackFixture.Bucket}/{corrupt}", error, StringComparison.Ordinal);

        var differences = LakeDiff.Compare(expected, lake);
        Assert.True(differences.Count == 0, $"expected is convert's of a local file, actual convert's of the S3 objects:\n{string.Join("\n", differences)}");

        var before = ConvertProcess.Snapshot(lake);
        var again = await ConvertProcess.RunAsync(S3, Source, "--lake", lake, "--json");
        Assert.Equal(1, again.ExitCode);
        var second = Json(again.Output);
        Assert.Equal(6, second.GetProperty("skipped").GetInt32());
        Assert.Equal(0, second.GetProperty("converted").GetInt32());
        Assert.Equal(0, second.GetProperty("events").GetInt64());
        Assert.Equal(before, ConvertProcess.Snapshot(lake));
        Assert.Contains(before.Keys, k => k.StartsWith("_convert/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_convert_killed_or_interrupted_mid_way_and_run_again_holds_every_row_exactly_once(bool ctrlC)
    {
        var batch = CorpusBatch.Create("resume", 12_000, seed: 42);
        var expected = await ReferenceLake.BuildAsync(Dir("expected"), batch);
        await PutFirehoseObjectsAsync(batch.Lines.ToList(), objects: 24);
        var lake = Dir("lake");
        var markers = Path.Combine(lake, "_convert");

        // One input at a time and small files: the first markers appear long before the last input is done.
        string[] args = [Source, "--lake", lake, "--json", "--threads", "1", "--target-file-size", "64KiB"];
        using (var first = ConvertProcess.Start(S3, args))
        {
            while (!first.HasExited && (!Directory.Exists(markers) || Directory.GetFiles(markers).Length < 3))
            {
                await Task.Delay(10);
            }

            Assert.False(first.HasExited, $"convert finished before it could be killed; give it more input\n{first.Output}\n{first.Error}");
            if (ctrlC)
            {
                first.Interrupt();
                Assert.Equal(1, await first.WaitAsync());
                Assert.Contains("interrupted; run the same command again", first.Error, StringComparison.Ordinal);
            }
            else
            {
                first.Kill();
                await first.WaitAsync();
            }
        }

        var done = Directory.GetFiles(markers).Length;
        Assert.InRange(done, 3, 23);
        var partial = LakeDiff.Count(lake);
        Assert.True(partial.Rows < LakeDiff.Count(expected).Rows, $"the killed run wrote everything already ({partial})");

        var (code, output, error) = await ConvertProcess.RunAsync(S3, args);
        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        var summary = Json(output);
        Assert.Equal(24, summary.GetProperty("objects").GetInt32());
        Assert.True(summary.GetProperty("skipped").GetInt32() >= done, output);

        var differences = LakeDiff.Compare(expected, lake);
        Assert.True(differences.Count == 0, $"after the resume (expected: convert of a local file; actual: the resumed lake):\n{string.Join("\n", differences)}");
    }

    [Fact]
    public async Task An_s3_outage_mid_run_is_waited_out_and_the_lake_is_complete()
    {
        var batch = CorpusBatch.Create("outage", 6000, seed: 44);
        var expected = await ReferenceLake.BuildAsync(Dir("expected"), batch);
        await PutFirehoseObjectsAsync(batch.Lines.ToList(), objects: 12);
        var lake = Dir("lake");
        var markers = Path.Combine(lake, "_convert");
        using var run = ConvertProcess.Start(S3, Source, "--lake", lake, "--json", "--threads", "1", "--target-file-size", "64KiB");
        while (!run.HasExited && (!Directory.Exists(markers) || Directory.GetFiles(markers).Length < 2))
        {
            await Task.Delay(10);
        }

        Assert.False(run.HasExited, $"convert finished before the outage; give it more input\n{run.Output}\n{run.Error}");
        await _stack.Stack.StopAsync(EmulatorKind.S3);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.False(run.HasExited, $"convert gave up during the outage\n{run.Output}\n{run.Error}");
        }
        finally
        {
            await _stack.Stack.RestartAsync(EmulatorKind.S3);
        }

        var code = await run.WaitAsync();
        Assert.True(code == 0, $"exit {code}\n{run.Output}\n{run.Error}");
        Assert.Contains("transient error", run.Error, StringComparison.Ordinal);
        var differences = LakeDiff.Compare(expected, lake);
        Assert.True(differences.Count == 0, $"after the outage (expected: convert of a local file; actual: the S3 backfill):\n{string.Join("\n", differences)}");
    }

    [Fact]
    public async Task One_thread_or_four_make_the_same_files_byte_for_byte_and_chunks_make_the_rows_whole_inputs_make()
    {
        var batch = CorpusBatch.Create("threads", 9000, seed: 43);
        var lines = batch.Lines.ToList();

        // One large plain object (cut into 1 MiB chunks) and several gzip and plain ones.
        await PutAsync(FirehoseKey(0, gzip: false), Join(lines.Take(5000)));
        await PutFirehoseObjectsAsync(lines.Skip(5000).ToList(), objects: 4, firstIndex: 1);

        // Byte identity holds for runs that do not create the tables' schemas (docs/backfill.md): the first run makes
        // them, the compared runs start from them.
        var first = Dir("first");
        var made = await ConvertProcess.RunAsync(S3, Source, "--lake", first, "-q", "--threads", "4", "--chunk-size", "1MiB");
        Assert.True(made.ExitCode == 0, made.Error);
        var results = new Dictionary<int, SortedDictionary<string, string>>();
        foreach (var threads in new[] { 1, 4 })
        {
            var lake = Dir($"threads-{threads}");
            CopyDirectory(Path.Combine(first, "_schemas"), Path.Combine(lake, "_schemas"));
            var run = await ConvertProcess.RunAsync(S3, Source, "--lake", lake, "-q", "--json", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--chunk-size", "1MiB");
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.True(Json(run.Output).GetProperty("inputs").GetInt32() > 5, $"the large object was not cut: {run.Output}");
            results[threads] = ConvertProcess.Snapshot(lake);
        }

        Assert.True(results[1].Count > 20);
        Assert.Equal(results[1], results[4]);

        // The same lines, never cut, hold the same rows.
        var whole = Dir("whole");
        var unchunked = await ConvertProcess.RunAsync(S3, Source, "--lake", whole, "-q", "--chunk-size", "0");
        Assert.True(unchunked.ExitCode == 0, unchunked.Error);
        var differences = LakeDiff.Compare(whole, first);
        Assert.True(differences.Count == 0, $"expected: whole inputs; actual: 1 MiB chunks:\n{string.Join("\n", differences)}");
        Assert.NotEqual(ConvertProcess.Snapshot(whole).Keys.Where(k => !k.StartsWith('_')), results[1].Keys.Where(k => !k.StartsWith('_')));
    }

    [Fact]
    public async Task A_backfill_into_an_s3_lake_holds_what_a_local_file_makes_and_a_rerun_skips_every_object()
    {
        var batch = CorpusBatch.Create("s3-to-s3", 2000, seed: 45);
        var expected = await ReferenceLake.BuildAsync(Dir("expected"), batch);
        await PutFirehoseObjectsAsync(batch.Lines.ToList(), objects: 4);
        var lake = $"s3://{StackFixture.Bucket}/{_prefix}-lake";
        var first = await ConvertProcess.RunAsync(S3, Source, "--lake", lake, "--json", "-q");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(4, Json(first.Output).GetProperty("converted").GetInt32());

        var second = await ConvertProcess.RunAsync(S3, Source, "--lake", lake, "--json", "-q");
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(4, Json(second.Output).GetProperty("skipped").GetInt32());
        Assert.Equal(0, Json(second.Output).GetProperty("events").GetInt64());

        var download = Dir("download");
        await AwsCli.DownloadAsync(S3, lake, download);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(download, "_convert")).Length);
        var differences = LakeDiff.Compare(expected, download);
        Assert.True(differences.Count == 0, $"expected: convert of a local file; actual: the S3 lake:\n{string.Join("\n", differences)}");
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_ends_the_run_with_one_line_naming_it()
    {
        var (code, output, error) = await ConvertProcess.RunAsync(S3, "s3://no-such-bucket-here/raw/", "--lake", Dir("lake"));
        Assert.True(code == 1, $"exit {code}\n{output}\n{error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("streaming convert:", StringComparison.Ordinal));
        Assert.Contains("s3://no-such-bucket-here", line, StringComparison.Ordinal);
        Assert.Contains("NoSuchBucket", line, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
