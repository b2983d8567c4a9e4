using Streaming.Cli.Athena;
using Streaming.Lake.Tests.Support;
using Streaming.Storage.Local;

namespace Streaming.Lake.Tests.Athena;

/// <summary><c>streaming ddl</c> run as a user runs it: what it prints, and its exit codes.</summary>
public sealed class DdlCommandTests : IClassFixture<DdlLakeFixture>
{
    private readonly DdlLakeFixture _lake;

    public DdlCommandTests(DdlLakeFixture lake)
    {
        _lake = lake;
    }

    private static void AssertOneLineError(string stderr, string expected)
    {
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_prints_the_create_statements_of_the_lake_for_this_year()
    {
        var (code, stdout, stderr) = await StreamingProcess.RunAsync(["ddl", "--lake", _lake.Lake, "--location", DdlLake.Location + "/", "--database", DdlLake.Database]);

        Assert.True(code == 0, stderr);
        var tables = await AthenaCatalog.DescribeAsync(new LocalLakeStore(_lake.Lake), [], DdlLake.Location, 5, DateTime.UtcNow.Year, CancellationToken.None);
        Assert.Equal(HiveDdl.Render(tables, DdlLake.Database, null), stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Options_come_from_configuration_and_tables_can_be_picked()
    {
        var (code, stdout, stderr) = await StreamingProcess.RunAsync(
            ["ddl", "--lake", _lake.Lake, "--table", "user_registration", "--since", "1"],
            environment: new Dictionary<string, string>
            {
                ["Streaming__Athena__Location"] = "s3://other-bucket/lake",
                ["Streaming__Athena__Database"] = "events",
                ["Streaming__Athena__YearsAhead"] = "1",
            });

        Assert.True(code == 0, stderr);
        Assert.Equal("-- user_registration: nothing to add; the lake's schema is at version 1.\n", stdout);
        var create = await StreamingProcess.RunAsync(["ddl", "--lake", _lake.Lake, "--table", "payment"], environment: new Dictionary<string, string>
        {
            ["Streaming__Athena__Location"] = "s3://other-bucket/lake",
            ["Streaming__Athena__YearsAhead"] = "1",
        });
        Assert.True(create.ExitCode == 0, create.Stderr);
        Assert.Contains("CREATE EXTERNAL TABLE IF NOT EXISTS payment (", create.Stdout, StringComparison.Ordinal);
        Assert.Contains("LOCATION 's3://other-bucket/lake/payment/'", create.Stdout, StringComparison.Ordinal);
        Assert.Contains($"'projection.year.range' = '2021,{DateTime.UtcNow.Year + 1}'", create.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("user_registration", create.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terraform_names_the_default_database_when_none_is_given()
    {
        var (code, stdout, stderr) = await StreamingProcess.RunAsync(["ddl", "--lake", _lake.Lake, "--location", DdlLake.Location, "--format", "terraform"]);

        Assert.True(code == 0, stderr);
        Assert.Contains("resource \"aws_athena_named_query\" \"payment\" {", stdout, StringComparison.Ordinal);
        Assert.Contains("  database    = \"default\"", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("aws_glue_catalog_table", stdout, StringComparison.Ordinal);
        await SqlValidators.AssertValidAsync("hcl", "tables.tf", stdout);
    }

    [Theory]
    [InlineData(new[] { "--format", "yaml" }, "'yaml'")]
    [InlineData(new[] { "--since", "0" }, "--since is 0")]
    [InlineData(new[] { "--since", "1", "--format", "terraform" }, "--since prints ALTER TABLE")]
    [InlineData(new[] { "--glue-table" }, "--glue-table goes with --format terraform")]
    [InlineData(new[] { "--table", "nope" }, "no table nope")]
    [InlineData(new[] { "--table", "../x" }, "--table ../x: not a table name")]
    [InlineData(new[] { "--database", "My-DB" }, "Streaming:Athena:Database (--database)")]
    [InlineData(new[] { "--years-ahead", "500" }, "Streaming:Athena:YearsAhead (--years-ahead)")]
    [InlineData(new[] { "--location", "https://example.com/x" }, "Streaming:Athena:Location (--location)")]
    [InlineData(new[] { "--location", "s3://bucket/it's here" }, "no quotes, spaces")]
    public async Task A_bad_command_line_is_exit_code_2_in_one_line(string[] extra, string expected)
    {
        string[] args = extra.Contains("--location") ? ["ddl", "--lake", _lake.Lake] : ["ddl", "--lake", _lake.Lake, "--location", DdlLake.Location];
        var (code, stdout, stderr) = await StreamingProcess.RunAsync([.. args, .. extra]);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        AssertOneLineError(stderr, expected);
    }

    [Fact]
    public async Task A_local_lake_needs_the_s3_location_it_will_be_uploaded_to()
    {
        var (code, _, stderr) = await StreamingProcess.RunAsync(["ddl", "--lake", _lake.Lake]);

        Assert.Equal(2, code);
        AssertOneLineError(stderr, "--location s3://bucket/prefix");
    }

    [Fact]
    public async Task A_missing_lake_is_exit_code_2_and_a_lake_without_schemas_exit_code_1()
    {
        using var dir = new TempDirectory();

        var missing = await StreamingProcess.RunAsync(["ddl", "--lake", dir.File("nope"), "--location", DdlLake.Location]);
        var empty = await StreamingProcess.RunAsync(["ddl", "--lake", dir.Path, "--location", DdlLake.Location]);

        Assert.Equal(2, missing.ExitCode);
        AssertOneLineError(missing.Stderr, "no such directory");
        Assert.Equal(1, empty.ExitCode);
        AssertOneLineError(empty.Stderr, "has no table schemas under _schemas/");
    }

    [Fact]
    public async Task A_broken_schema_document_is_exit_code_1_naming_it()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("_schemas/payment"));
        await File.WriteAllTextAsync(dir.File("_schemas/payment/v00001.json"), "{\"table\":\"payment\",");

        var (code, _, stderr) = await StreamingProcess.RunAsync(["ddl", "--lake", dir.Path, "--location", DdlLake.Location]);

        Assert.Equal(1, code);
        AssertOneLineError(stderr, "_schemas/payment/v00001.json");
    }

    [Fact]
    public async Task Columns_athena_cannot_hold_are_explained_on_both_outputs_and_the_rest_still_parses()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("_schemas/legacy"));
        await File.WriteAllTextAsync(dir.File("_schemas/legacy/v00001.json"), """
            {"table":"legacy","version":1,"columns":[
              {"name":"id","type":"string","since":1},
              {"name":"Bad Name","type":"string","since":1},
              {"name":"hour","type":"bigint","since":1},
              {"name":"date","type":"timestamp","since":1}],
             "partition_keys":[]}
            """);

        var (code, stdout, stderr) = await StreamingProcess.RunAsync(["ddl", "--lake", dir.Path, "--location", DdlLake.Location]);

        Assert.True(code == 0, stderr);
        Assert.Contains("-- Left out of legacy: column \"Bad Name\" (\"string\"): Athena lower-cases names", stdout, StringComparison.Ordinal);
        Assert.Contains("-- Left out of legacy: column \"hour\" (\"bigint\"): it is the name of a partition column", stdout, StringComparison.Ordinal);
        Assert.Equal([("id", "string"), ("date", "timestamp")], DdlText.Columns(DdlText.Creates(stdout)["legacy"]));
        Assert.Equal(2, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("streaming ddl: legacy: left out column \"Bad Name\"", stderr, StringComparison.Ordinal);
        await SqlValidators.AssertValidAsync("hive", "legacy.sql", stdout);
    }
}
