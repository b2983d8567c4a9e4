namespace Streaming.Cli.Athena;

/// <summary>
/// The tables as Terraform: one <c>aws_athena_named_query</c> per table holding its CREATE TABLE statement (how the
/// original team keeps its tables: saved queries, run once from the console), and on request an
/// <c>aws_glue_catalog_table</c> with the same columns and projection parameters, for teams that keep tables in the
/// Glue catalog under Terraform instead.
/// </summary>
internal static class TerraformHcl
{
    public const string ParquetInputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public const string ParquetOutputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    public const string ParquetSerDe = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";

    public static string Render(IReadOnlyList<AthenaTable> tables, string database, bool glueTables, string location)
    {
        var hcl = new HclText();
        hcl.Comment($"Athena tables over the lake in {location}, written by `streaming ddl --format terraform`.");
        hcl.Comment("Each aws_athena_named_query saves a table's CREATE statement in Athena (Saved queries); run it once.");
        if (glueTables)
        {
            hcl.Comment("Each aws_glue_catalog_table creates the same table in the Glue catalog directly.");
        }

        foreach (var table in tables)
        {
            hcl.BlankLine();
            NamedQuery(hcl, table, database);
            if (glueTables)
            {
                hcl.BlankLine();
                GlueTable(hcl, table, database);
            }
        }

        return hcl.ToString();
    }

    private static void NamedQuery(HclText hcl, AthenaTable table, string database)
    {
        hcl.Open($"resource \"aws_athena_named_query\" {HclText.String(table.Name)}");
        hcl.Attributes(
            ("name", HclText.String($"create table {table.Name}")),
            ("description", HclText.String($"Lake table {table.Name}, schema version {table.Version}, with partition projection (streaming ddl)")),
            ("database", HclText.String(database)));
        hcl.Heredoc("query", "description".Length, HiveDdl.Create(table, database));
        hcl.Close();
    }

    private static void GlueTable(HclText hcl, AthenaTable table, string database)
    {
        foreach (var column in table.Omitted)
        {
            hcl.Comment($"Left out of {table.Name}: column {HiveDdl.Describe(column)}.");
        }

        hcl.Open($"resource \"aws_glue_catalog_table\" {HclText.String(table.Name)}");
        hcl.Attributes(
            ("name", HclText.String(table.Name)),
            ("database_name", HclText.String(database)),
            ("table_type", HclText.String("EXTERNAL_TABLE")),
            ("description", HclText.String($"Lake table {table.Name}, schema version {table.Version} (streaming ddl)")));
        hcl.BlankLine();
        hcl.Map("parameters", [new("EXTERNAL", "TRUE"), new("classification", "parquet"), .. table.Properties]);
        foreach (var partition in AthenaNames.PartitionColumns)
        {
            hcl.BlankLine();
            hcl.Open("partition_keys");
            hcl.Attributes(("name", HclText.String(partition)), ("type", HclText.String("int")));
            hcl.Close();
        }

        hcl.BlankLine();
        hcl.Open("storage_descriptor");
        hcl.Attributes(
            ("location", HclText.String(table.Location)),
            ("input_format", HclText.String(ParquetInputFormat)),
            ("output_format", HclText.String(ParquetOutputFormat)));
        hcl.BlankLine();
        hcl.Open("ser_de_info");
        hcl.Attributes(("name", HclText.String("parquet")), ("serialization_library", HclText.String(ParquetSerDe)));
        hcl.BlankLine();
        hcl.Map("parameters", [new("serialization.format", "1")]);
        hcl.Close();
        foreach (var column in table.Columns)
        {
            hcl.BlankLine();
            hcl.Open("columns");
            hcl.Attributes(("name", HclText.String(column.Name)), ("type", HclText.String(column.Type)));
            hcl.Close();
        }

        hcl.Close();
        hcl.Close();
    }
}
