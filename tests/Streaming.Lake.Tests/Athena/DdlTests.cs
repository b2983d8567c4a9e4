using System.Globalization;
using System.Text.Json;
using Streaming.Cli.Athena;
using Streaming.Core.Events;
using Streaming.Core.Schema;
using Streaming.Lake.Tests.Support;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// What <c>streaming ddl</c> prints for a lake made by the real pipeline: held against golden files, parsed by the Hive
/// grammar (Athena DDL) and Terraform's HCL parser, and checked against what DuckDB reads from the same Parquet files.
/// </summary>
public sealed class DdlTests : IClassFixture<DdlLakeFixture>
{
    private readonly DdlLakeFixture _lake;

    public DdlTests(DdlLakeFixture lake)
    {
        _lake = lake;
    }

    private async Task<string> SqlAsync(int? since = null) =>
        HiveDdl.Render(await DdlLake.DescribeAsync(_lake.Lake), DdlLake.Database, since);

    private async Task<string> TerraformAsync() =>
        TerraformHcl.Render(await DdlLake.DescribeAsync(_lake.Lake), DdlLake.Database, glueTables: true, DdlLake.Location);

    [Fact]
    public async Task Create_statements_match_the_golden_file() =>
        Golden.AssertMatches("create.sql", await SqlAsync());

    [Fact]
    public async Task Columns_added_after_version_1_match_the_golden_file() =>
        Golden.AssertMatches("since-1.sql", await SqlAsync(since: 1));

    [Fact]
    public async Task Terraform_matches_the_golden_file() =>
        Golden.AssertMatches("tables.tf", await TerraformAsync());

    [Fact]
    public async Task The_hive_grammar_accepts_the_create_and_alter_statements()
    {
        var results = await SqlValidators.CheckAsync(
            new ValidationRequest("hive", "create.sql", await SqlAsync()),
            new ValidationRequest("hive", "since-1.sql", await SqlAsync(since: 1)),
            new ValidationRequest("hive", "no-database.sql", HiveDdl.Render(await DdlLake.DescribeAsync(_lake.Lake), null, null)));
        Assert.All(results, r => Assert.True(r.Errors.Count == 0, $"{r.Name}: {string.Join("; ", r.Errors)}"));
    }

    [Fact]
    public async Task The_hive_grammar_rejects_what_athena_rejects_so_the_check_can_fail()
    {
        var sql = (await SqlAsync()).Replace("`date`", "date", StringComparison.Ordinal);

        var result = (await SqlValidators.CheckAsync(new ValidationRequest("hive", "unquoted.sql", sql)))[0];

        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public async Task Only_the_columns_added_after_the_version_are_added_and_the_version_property_follows()
    {
        var sql = await SqlAsync(since: 1);

        Assert.Contains("ALTER TABLE analytics.payment ADD COLUMNS (\n  hour_ bigint,\n  coupons string,\n  refund boolean,\n  `select` string,\n  `_rescued` string,\n  `_date_raw` string\n);", sql, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE analytics.payment SET TBLPROPERTIES ('streaming.schema_version' = '2');", sql, StringComparison.Ordinal);
        Assert.Contains("-- user_registration: nothing to add; the lake's schema is at version 1.", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("ALTER TABLE analytics.user_registration", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terraform_parses_and_holds_the_same_ddl_and_columns()
    {
        var sql = DdlText.Creates(await SqlAsync());
        var hcl = (await SqlValidators.AssertValidAsync("hcl", "tables.tf", await TerraformAsync())).Json!.Value;

        var queries = hcl.GetProperty("resource").GetProperty("aws_athena_named_query");
        var glue = hcl.GetProperty("resource").GetProperty("aws_glue_catalog_table");
        Assert.Equal(sql.Keys.Order(), queries.EnumerateObject().Select(p => p.Name).Order());
        foreach (var (table, create) in sql)
        {
            var query = queries.GetProperty(table)[0];
            Assert.Equal(DdlLake.Database, query.GetProperty("database").GetString());

            // In Terraform's JSON form strings are still templates: $${ is a literal ${ once Terraform reads it, and no
            // bare ${ (an interpolation Terraform would fail on) may be left.
            var text = query.GetProperty("query").GetString()!;
            Assert.DoesNotMatch(@"(?<!\$)\$\{", text);
            Assert.Contains(create, text.Replace("$${", "${", StringComparison.Ordinal), StringComparison.Ordinal);

            var catalog = glue.GetProperty(table)[0];
            var descriptor = catalog.GetProperty("storage_descriptor")[0];
            Assert.Equal(
                DdlText.Columns(create),
                descriptor.GetProperty("columns").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!)).ToList());
            Assert.Equal(
                DdlText.PartitionColumns(create),
                catalog.GetProperty("partition_keys").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!)).ToList());
            Assert.Equal(DdlText.Location(create), descriptor.GetProperty("location").GetString());
            var parameters = catalog.GetProperty("parameters").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString()!.Replace("$${", "${", StringComparison.Ordinal), StringComparer.Ordinal);
            foreach (var (key, value) in DdlText.Properties(create))
            {
                Assert.Equal(value, parameters[key]);
            }

            Assert.Equal("TRUE", parameters["EXTERNAL"]);
        }
    }

    [Fact]
    public async Task The_hcl_parser_rejects_broken_terraform_so_the_check_can_fail()
    {
        var broken = (await TerraformAsync()).Replace("  EOT\n", "  EOF\n", StringComparison.Ordinal);

        var result = (await SqlValidators.CheckAsync(new ValidationRequest("hcl", "broken.tf", broken)))[0];

        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public async Task Every_column_and_type_in_the_ddl_is_what_duckdb_reads_from_every_parquet_file()
    {
        var creates = DdlText.Creates(await SqlAsync());
        using var db = new DuckDb();
        Assert.Equal(["payment", "user_registration"], creates.Keys.Order());
        foreach (var (table, create) in creates)
        {
            var declared = DdlText.Columns(create).ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var files = Directory.EnumerateFiles(Path.Combine(_lake.Lake, table), "*.parquet", SearchOption.AllDirectories).ToList();
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                // File by file: one file with another type would be widened away by a union of all of them.
                foreach (var (column, duckType) in db.Types($"read_parquet('{file}', hive_partitioning = false)"))
                {
                    Assert.True(declared.TryGetValue(column, out var type), $"{file} has column {column}, which the DDL of {table} lacks");
                    Assert.Equal(AthenaTypeOf(duckType), type);
                    seen.Add(column);
                }

                foreach (var row in db.Rows($"SELECT name, type, logical_type FROM parquet_schema('{file}') WHERE name = 'date'"))
                {
                    // Athena reads INT64 timestamps in milliseconds adjusted to UTC; INT96 or nanoseconds break it.
                    Assert.Equal("INT64", row["type"]);
                    Assert.Contains("isAdjustedToUTC=1", (string)row["logical_type"]!, StringComparison.Ordinal);
                    Assert.Contains("MILLIS", (string)row["logical_type"]!, StringComparison.Ordinal);
                }
            }

            Assert.Equal(declared.Keys.Order(), seen.Order());
            var partitions = db.Types(DuckDb.Table(_lake.Lake, table)).Where(t => t.Key is "year" or "month" or "day" or "hour").ToDictionary();
            Assert.Equal(DdlText.PartitionColumns(create), partitions.Select(p => (p.Key, AthenaTypeOf(p.Value))).OrderBy(p => Array.IndexOf(["year", "month", "day", "hour"], p.Key)).ToList());
        }
    }

    [Fact]
    public async Task Every_partition_in_the_lake_lies_inside_the_projection_and_its_template_names_the_folder()
    {
        foreach (var (table, create) in DdlText.Creates(await SqlAsync()))
        {
            var properties = DdlText.Properties(create);
            Assert.Equal("true", properties["projection.enabled"]);
            var template = properties["storage.location.template"];
            Assert.EndsWith("/", template, StringComparison.Ordinal);
            Assert.StartsWith(DdlText.Location(create), template, StringComparison.Ordinal);
            var folders = Directory.EnumerateFiles(Path.Combine(_lake.Lake, table), "*.parquet", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Path.Combine(_lake.Lake, table), Path.GetDirectoryName(f)!).Replace('\\', '/'))
                .Distinct()
                .ToList();
            Assert.True(folders.Count >= 2, $"{table}: {string.Join(", ", folders)}");
            foreach (var folder in folders)
            {
                var path = template;
                foreach (var part in folder.Split('/'))
                {
                    var (column, text) = (part[..part.IndexOf('=', StringComparison.Ordinal)], part[(part.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                    Assert.Equal("integer", properties[$"projection.{column}.type"]);
                    var range = properties[$"projection.{column}.range"].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                    var value = int.Parse(text, CultureInfo.InvariantCulture);
                    Assert.True(value >= range[0] && value <= range[1], $"{table}/{folder}: {column}={value} is outside the projected range {range[0]}-{range[1]}");
                    var digits = properties.TryGetValue($"projection.{column}.digits", out var d) ? int.Parse(d, CultureInfo.InvariantCulture) : 1;
                    path = path.Replace("${" + column + "}", value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'), StringComparison.Ordinal);
                }

                Assert.Equal(DdlText.Location(create) + folder + "/", path);
            }
        }
    }

    [Fact]
    public async Task Projection_spans_the_first_year_in_the_lake_to_years_ahead_of_this_one()
    {
        var properties = DdlText.Properties(DdlText.Creates(await SqlAsync())["payment"]);

        // The first payment, 2022-01-01T00:30+09:00, is in 2021 in UTC; the lake's last year (2022) is before "now" (2024).
        Assert.Equal("2021,2029", properties["projection.year.range"]);
    }

    [Fact]
    public async Task Every_keyword_the_hive_grammar_reserves_is_quoted_as_a_column_name()
    {
        var keywords = (await SqlValidators.CheckAsync(new ValidationRequest("hive-keywords", "keywords", string.Empty)))[0].Json!.Value;
        var names = keywords.EnumerateArray().Select(k => k.GetString()!.ToLowerInvariant())
            .Where(n => ColumnNames.IsValid(n) && !ColumnNames.Reserved.Contains(n))
            .Concat(["_x", "9lives", "comment", "location", "user_id"])
            .Distinct()
            .ToList();
        Assert.True(names.Count > 300, $"only {names.Count} keywords");
        var document = SchemaDocument.From("keywords", 1, names.Select(n => new ColumnDefinition(n, ColumnType.String, 1)));
        var (columns, omitted) = AthenaCatalog.Columns(document);
        Assert.Empty(omitted);
        var table = new AthenaTable("keywords", 1, columns, omitted, "s3://analytics-lake/events/keywords/", new YearRange(2021, 2029));

        await SqlValidators.AssertValidAsync("hive", "keywords.sql", HiveDdl.Create(table, "default"));
    }

    [Fact]
    public void Columns_athena_cannot_hold_are_left_out_with_the_reason()
    {
        var document = new SchemaDocument
        {
            Table = "legacy",
            Version = 3,
            Columns =
            [
                new SchemaColumn { Name = "id", Type = "string", Since = 1 },
                new SchemaColumn { Name = "Bad Name", Type = "string", Since = 1 },
                new SchemaColumn { Name = "year", Type = "bigint", Since = 2 },
                new SchemaColumn { Name = "id", Type = "bigint", Since = 2 },
                new SchemaColumn { Name = "tags", Type = "map<string,string>", Since = 3 },
                new SchemaColumn { Name = new string('a', 256), Type = "string", Since = 3 },
            ],
        };

        var (columns, omitted) = AthenaCatalog.Columns(document);

        Assert.Equal([new AthenaColumn("id", "string", 1)], columns);
        Assert.Equal(["Bad Name", "year", "id", "tags", new string('a', 256)], omitted.Select(o => o.Name));
        Assert.Contains("only a-z, 0-9 and _", omitted[0].Reason, StringComparison.Ordinal);
        Assert.Contains("partition column", omitted[1].Reason, StringComparison.Ordinal);
        Assert.Contains("same name", omitted[2].Reason, StringComparison.Ordinal);
        Assert.Contains("map<string,string>", omitted[3].Reason, StringComparison.Ordinal);
        Assert.Contains("255", omitted[4].Reason, StringComparison.Ordinal);
    }

    private static string AthenaTypeOf(string duckDbType) => duckDbType switch
    {
        "VARCHAR" => "string",
        "BIGINT" => "bigint",
        "DOUBLE" => "double",
        "BOOLEAN" => "boolean",
        "TIMESTAMP WITH TIME ZONE" => "timestamp",
        "INTEGER" => "int",
        _ => $"no Athena type for DuckDB's {duckDbType}",
    };

    [Fact]
    public void A_json_name_in_a_message_cannot_carry_a_line_break()
    {
        var text = HiveDdl.Describe(new OmittedColumn("a\nb", "string", "reason"));

        Assert.DoesNotContain('\n', text);
        Assert.StartsWith(JsonSerializer.Serialize("a\nb"), text, StringComparison.Ordinal);
    }
}
