using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Streaming.Lake.Tests.Support;

namespace Streaming.Lake.Tests;

/// <summary>The <c>streaming</c> executable, run as a user runs it.</summary>
public sealed class CliTests
{
    private static string Event(int i, string type = "page_view") =>
        $$$"""{"id":"{{{i}}}","date":"2021-09-16T{{{i % 3:D2}}}:15:00Z","type":"{{{type}}}","user_id":{{{i}}},"params":{"path":"/p{{{i % 5}}}"}}""";

    [Fact]
    public async Task Convert_reads_plain_gzip_and_stdin_and_reports_a_summary()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("a.ndjson"), string.Join('\n', Enumerable.Range(0, 100).Select(i => Event(i))) + "\nnot json\n");
        await using (var gz = new GZipStream(File.Create(dir.File("b.log.gz")), CompressionLevel.Fastest))
        {
            await gz.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(100, 50).Select(i => Event(i, "lesson_started")))));
        }

        var lake = dir.File("lake");
        var (code, stdout, stderr) = await StreamingProcess.RunAsync(
            ["convert", dir.File("a.ndjson"), dir.File("b.log.gz"), "-", "--lake", lake, "--json"],
            stdin: string.Join('\n', Enumerable.Range(150, 25).Select(i => Event(i, "payment"))));
        Assert.True(code == 0, stderr);
        var summary = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(176, summary.GetProperty("events").GetInt64());
        Assert.Equal(175, summary.GetProperty("rows").GetInt64());
        Assert.Equal(1, summary.GetProperty("rejected").GetInt64());
        Assert.Equal(1, summary.GetProperty("rejected_by_reason").GetProperty("invalid_json").GetInt64());
        Assert.Equal(3, summary.GetProperty("tables").GetInt64());
        Assert.Equal(9, summary.GetProperty("partitions").GetInt64());
        Assert.Equal(9, summary.GetProperty("files").GetInt64());

        using var db = new DuckDb();
        Assert.Equal(100L, db.Scalar($"SELECT count(DISTINCT id) FROM {DuckDb.Table(lake, "page_view")}"));
        Assert.Equal(50L, db.Scalar($"SELECT count(*) FROM {DuckDb.Table(lake, "lesson_started")}"));
        Assert.Equal(25L, db.Scalar($"SELECT count(*) FROM {DuckDb.Table(lake, "payment")}"));
        Assert.Equal(1L, db.Scalar($"SELECT count(*) FROM {DuckDb.Errors(lake)} WHERE source_line = 101"));
    }

    [Fact]
    public async Task Converting_the_same_input_again_skips_it_and_without_its_marker_adds_no_rows()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("a.ndjson"), string.Join('\n', Enumerable.Range(0, 300).Select(i => Event(i))));
        var lake = dir.File("lake");
        var first = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", lake, "--json"]);
        var second = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", lake, "--json"]);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        var again = JsonDocument.Parse(second.Stdout).RootElement;
        Assert.Equal(1, again.GetProperty("skipped").GetInt32());
        Assert.Equal(0, again.GetProperty("events").GetInt64());
        Assert.Equal(0, again.GetProperty("files").GetInt64());

        // Without its done-marker (a run killed before writing it) the input is converted again and finds its files taken.
        Directory.Delete(Path.Combine(lake, "_convert"), recursive: true);
        var third = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", lake, "--json"]);
        Assert.Equal(0, third.ExitCode);
        var redone = JsonDocument.Parse(third.Stdout).RootElement;
        Assert.Equal(0, redone.GetProperty("skipped").GetInt32());
        Assert.Equal(0, redone.GetProperty("files").GetInt64());
        Assert.Equal(3, redone.GetProperty("files_already_present").GetInt64());
        using var db = new DuckDb();
        Assert.Equal(300L, db.Scalar($"SELECT count(*) FROM {DuckDb.Table(lake, "page_view")}"));
    }

    [Fact]
    public async Task A_conversion_redone_after_its_table_schema_grew_finds_every_file_it_wrote_taken()
    {
        // The later half of the input adds a column: the first files were written under schema version 1, the
        // rest under version 2. Redone (a run killed before its marker), the input meets version 2 from the start.
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 20_000).Select(i => i < 10_000
            ? $$$"""{"id":"e{{{i}}}","date":"2021-09-16T05:{{{i % 60:D2}}}:00Z","type":"t","params":{"a":{{{i}}}}}"""
            : $$$"""{"id":"e{{{i}}}","date":"2021-09-16T05:{{{i % 60:D2}}}:00Z","type":"t","params":{"a":{{{i}}},"b":"x{{{i}}}"}}""");
        await File.WriteAllTextAsync(dir.File("grows.ndjson"), string.Join('\n', lines));
        var lake = dir.File("lake");
        string[] convert = ["convert", dir.File("grows.ndjson"), "--lake", lake, "--target-file-size", "200KiB", "--json"];
        var first = await StreamingProcess.RunAsync(convert);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var written = JsonDocument.Parse(first.Stdout).RootElement.GetProperty("files").GetInt64();
        Assert.True(written > 2, $"{written} files: the test needs files on both sides of the schema change");
        Assert.Equal(2, Directory.GetFiles(Path.Combine(lake, "_schemas", "t")).Length);

        Directory.Delete(Path.Combine(lake, "_convert"), recursive: true);
        var again = await StreamingProcess.RunAsync(convert);
        Assert.True(again.ExitCode == 0, again.Stderr);
        var redone = JsonDocument.Parse(again.Stdout).RootElement;
        Assert.Equal(0, redone.GetProperty("files").GetInt64());
        Assert.Equal(written, redone.GetProperty("files_already_present").GetInt64());
        using var db = new DuckDb();
        Assert.Equal(20_000L, db.Scalar($"SELECT count(*) FROM {DuckDb.Table(lake, "t")}"));
        Assert.Equal(20_000L, db.Scalar($"SELECT count(DISTINCT id) FROM {DuckDb.Table(lake, "t")}"));
    }

    [Fact]
    public async Task An_inputs_files_have_the_same_bytes_whichever_input_created_the_tables_columns_first()
    {
        // Two inputs of one table with fields in different orders, converted in both orders into two fresh lakes:
        // the schema's column order differs between the lakes, each input's files must not (parallel inputs meet
        // new columns in an order that depends on timing, and a file's name carries a hash of its bytes).
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("a.ndjson"), string.Join('\n', Enumerable.Range(0, 500).Select(i =>
            $$$"""{"id":"a{{{i}}}","date":"2021-09-16T05:{{{i % 60:D2}}}:00Z","type":"t","user_id":{{{i}}},"params":{"x":{{{i}}},"y":"y{{{i}}}"}}""")));
        await File.WriteAllTextAsync(dir.File("b.ndjson"), string.Join('\n', Enumerable.Range(0, 500).Select(i =>
            $$$"""{"params":{"z":true,"y":"b{{{i}}}","x":{{{i * 2}}}},"type":"t","user_id":{{{i}}},"date":"2021-09-16T06:{{{i % 60:D2}}}:00Z","id":"b{{{i}}}"}""")));
        var (first, second) = (dir.File("ab"), dir.File("ba"));
        foreach (var (lake, order) in new[] { (first, new[] { "a", "b" }), (second, new[] { "b", "a" }) })
        {
            foreach (var input in order)
            {
                var run = await StreamingProcess.RunAsync(["convert", dir.File(input + ".ndjson"), "--lake", lake, "--quiet"]);
                Assert.True(run.ExitCode == 0, run.Stderr);
            }
        }

        static SortedDictionary<string, string> Files(string lake) => new(
            Directory.GetFiles(lake, "*.parquet", SearchOption.AllDirectories).ToDictionary(
                f => Path.GetRelativePath(lake, f),
                f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))),
            StringComparer.Ordinal);
        Assert.NotEqual(File.ReadAllText(Path.Combine(first, "_schemas", "t", "v00001.json")), File.ReadAllText(Path.Combine(second, "_schemas", "t", "v00001.json")));
        var files = Files(first);
        Assert.Equal(2, files.Count);
        Assert.Equal(files, Files(second));
    }

    [Theory]
    [InlineData("--target-file-size", "lots", "Streaming:Lake:TargetFileSize")]
    [InlineData("--row-group-rows", "12", "Streaming:Lake:RowGroupRows")]
    [InlineData("--compression", "lz5", "Streaming:Lake:Compression")]
    [InlineData("--max-open-partitions", "0", "Streaming:Lake:MaxOpenPartitions")]
    public async Task Bad_options_fail_at_start_naming_the_key(string flag, string value, string key)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("a.ndjson"), Event(1));
        var (code, _, stderr) = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", dir.File("lake"), flag, value]);
        Assert.Equal(2, code);
        Assert.Contains(key, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("lake")));
    }

    [Fact]
    public async Task Options_come_from_environment_variables_too()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("a.ndjson"), Event(1));
        var bad = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", dir.File("lake")], environment: new Dictionary<string, string> { ["Streaming__Lake__MemoryBudget"] = "-1" });
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Streaming:Lake:MemoryBudget", bad.Stderr, StringComparison.Ordinal);

        var good = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", dir.File("lake")], environment: new Dictionary<string, string> { ["Streaming__Lake__Compression"] = "Zstd" });
        Assert.Equal(0, good.ExitCode);
        using var db = new DuckDb();
        Assert.Equal("ZSTD", db.Rows($"SELECT compression FROM parquet_metadata('{dir.File("lake")}/page_view/**/*.parquet')")[0]["compression"]);
    }

    [Fact]
    public async Task Missing_input_and_unsupported_lakes_are_usage_errors()
    {
        using var dir = new TempDirectory();
        var missing = await StreamingProcess.RunAsync(["convert", dir.File("nope.ndjson"), "--lake", dir.File("lake")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.ndjson", missing.Stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(dir.File("a.ndjson"), Event(1));
        var s3 = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", "s3://"]);
        Assert.Equal(2, s3.ExitCode);
        Assert.Contains("s3://", s3.Stderr, StringComparison.Ordinal);

        var noLake = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson")]);
        Assert.NotEqual(0, noLake.ExitCode);
    }

    [Fact]
    public async Task Demo_builds_a_lake_and_answers_its_three_questions()
    {
        using var dir = new TempDirectory();
        var (code, stdout, stderr) = await StreamingProcess.RunAsync(["demo", "--lake", dir.File("lake"), "--events", "4000"], workingDirectory: dir.Path);
        Assert.True(code == 0, stderr);
        Assert.Contains("Paying users per country", stdout, StringComparison.Ordinal);
        Assert.Contains("The order in which users start exercises", stdout, StringComparison.Ordinal);
        Assert.Contains("Exercises cleared within a day of registering", stdout, StringComparison.Ordinal);
        using var db = new DuckDb();
        var events = db.Scalar($"SELECT count(*) FROM {DuckDb.Table(dir.File("lake"), "payment")}")
            + db.Scalar($"SELECT count(*) FROM {DuckDb.Table(dir.File("lake"), "exercise_started")}");
        Assert.True(events > 100);
    }

    [Fact]
    public async Task Generate_writes_the_requested_number_of_valid_events()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = await StreamingProcess.RunAsync(["generate", "-n", "2000", "-o", dir.File("e.ndjson.gz"), "--hours", "3"]);
        Assert.True(code == 0, stderr);
        using var db = new DuckDb();
        Assert.Equal(2000L, db.Scalar($"SELECT count(*) FROM read_json('{dir.File("e.ndjson.gz")}', format = 'newline_delimited')"));
        Assert.Equal(3L, db.Scalar($"SELECT count(DISTINCT date_trunc('hour', CAST(date AS TIMESTAMPTZ))) FROM read_json('{dir.File("e.ndjson.gz")}', format = 'newline_delimited')"));
    }

    [Theory]
    [InlineData("", "", "Streaming:Consumer:StreamName")]
    [InlineData("Streaming__Leases__RenewInterval", "00:00:09", "Streaming:Leases:RenewInterval")]
    [InlineData("Streaming__Consumer__InitialPosition", "YESTERDAY", "Streaming:Consumer:InitialPosition")]
    [InlineData("Streaming__Consumer__MaxBufferAge", "soon", "Streaming:Consumer:MaxBufferAge")]
    public async Task Run_fails_at_start_on_bad_configuration_naming_the_key(string variable, string value, string key)
    {
        using var dir = new TempDirectory();
        var args = variable.Length == 0 ? new[] { "run", "--lake", dir.File("lake") } : ["run", "--stream", "s", "--lake", dir.File("lake")];
        var environment = variable.Length == 0 ? null : new Dictionary<string, string> { [variable] = value };
        var (code, _, stderr) = await StreamingProcess.RunAsync(args, environment: environment);
        Assert.Equal(2, code);
        Assert.Contains(key, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appsettings_then_environment_then_flags_each_override_the_one_before()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("a.ndjson"), Event(1));
        await File.WriteAllTextAsync(dir.File("appsettings.json"), """{"Streaming":{"Lake":{"RowGroupRows":12,"Compression":"Gzip"}}}""");
        var fromFile = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", dir.File("lake")], workingDirectory: dir.Path);
        Assert.Equal(2, fromFile.ExitCode);
        Assert.Contains("Streaming:Lake:RowGroupRows", fromFile.Stderr, StringComparison.Ordinal);

        // Gzip, not the default Zstd, so that the environment's value is seen to win over the default.
        var environment = new Dictionary<string, string> { ["Streaming__Lake__RowGroupRows"] = "5000", ["Streaming__Lake__Compression"] = "Gzip" };
        var fromEnvironment = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", dir.File("lake1")], environment: environment, workingDirectory: dir.Path);
        Assert.Equal(0, fromEnvironment.ExitCode);
        var fromFlag = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", dir.File("lake2"), "--compression", "Snappy"], environment: environment, workingDirectory: dir.Path);
        Assert.Equal(0, fromFlag.ExitCode);

        using var db = new DuckDb();
        Assert.Equal("GZIP", db.Rows($"SELECT compression FROM parquet_metadata('{dir.File("lake1")}/page_view/**/*.parquet')")[0]["compression"]);
        Assert.Equal("SNAPPY", db.Rows($"SELECT compression FROM parquet_metadata('{dir.File("lake2")}/page_view/**/*.parquet')")[0]["compression"]);
    }

    [Fact]
    public async Task By_default_files_are_zstd_with_delta_encoded_bigints_and_the_level_flag_is_checked()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("a.ndjson"), Event(1));
        var defaults = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", dir.File("lake")], workingDirectory: dir.Path);
        Assert.Equal(0, defaults.ExitCode);
        using var db = new DuckDb();
        var meta = db.Rows($"SELECT path_in_schema AS col, compression, encodings FROM parquet_metadata('{dir.File("lake")}/page_view/**/*.parquet')").ToDictionary(r => (string)r["col"]!);
        Assert.All(meta.Values, m => Assert.Equal("ZSTD", m["compression"]));
        Assert.Contains("DELTA_BINARY_PACKED", (string)meta["user_id"]["encodings"]!, StringComparison.Ordinal);

        var smallest = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", dir.File("lake2"), "--compression-level", "Smallest"], workingDirectory: dir.Path);
        Assert.Equal(0, smallest.ExitCode);
        var wrong = await StreamingProcess.RunAsync(["convert", dir.File("a.ndjson"), "--lake", dir.File("lake3"), "--compression-level", "Max"], workingDirectory: dir.Path);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("Streaming:Lake:CompressionLevel", wrong.Stderr, StringComparison.Ordinal);
    }
}
