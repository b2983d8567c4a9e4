using System.CommandLine;
using System.Globalization;
using Streaming.Aws.Storage;
using Streaming.Cli.Athena;
using Streaming.Core.Lake;

namespace Streaming.Cli.Commands;

/// <summary>
/// <c>streaming ddl --lake &lt;dir|s3://...&gt;</c>: Athena tables for the lake, from its <c>_schemas/</c>: CREATE TABLE
/// with partition projection, or with <c>--since N</c> the ALTER TABLE that adds what later versions added, as SQL or
/// as Terraform (docs/athena.md).
/// </summary>
internal static class DdlCommand
{
    public static Command Create()
    {
        var lake = new LakeSettings();
        var database = new Option<string?>("--database") { Description = "The Athena database of the tables. SQL leaves table names unqualified without it; Terraform then uses 'default'. Key Streaming:Athena:Database." };
        var tables = new Option<string[]>("--table") { Description = "Only this table (repeat for more); every table by default.", AllowMultipleArgumentsPerToken = true };
        var location = new Option<string?>("--location") { Description = "The S3 root the tables point at, s3://bucket/prefix: needed for a local lake (where it will be uploaded); an S3 lake's own root by default. Key Streaming:Athena:Location." };
        var format = new Option<string>("--format") { Description = "sql (default) or terraform.", DefaultValueFactory = _ => "sql" };
        format.AcceptOnlyFromAmong("sql", "terraform");
        var since = new Option<int?>("--since") { Description = "Print ALTER TABLE ... ADD COLUMNS for the columns added after this schema version, instead of CREATE TABLE." };
        var yearsAhead = new Option<string?>("--years-ahead") { Description = "Years past this one (or the lake's last, if later) that partition projection covers (default 5). Key Streaming:Athena:YearsAhead." };
        var glue = new Option<bool>("--glue-table") { Description = "With --format terraform, also an aws_glue_catalog_table per table (same columns and projection)." };
        var command = new Command("ddl", "Print Athena DDL (or Terraform) for the lake's tables, with partition projection; --since N prints the columns to add.");
        command.Options.Add(lake.Lake);
        command.Options.Add(database);
        command.Options.Add(tables);
        command.Options.Add(location);
        command.Options.Add(format);
        command.Options.Add(since);
        command.Options.Add(yearsAhead);
        command.Options.Add(glue);
        command.SetAction(async (parse, ct) =>
        {
            var flags = new Dictionary<string, string?>();
            void Flag(Option<string?> option, string key)
            {
                if (parse.GetValue(option) is { } value)
                {
                    flags[$"{AthenaOptions.Section}:{key}"] = value;
                }
            }

            Flag(database, nameof(AthenaOptions.Database));
            Flag(location, nameof(AthenaOptions.Location));
            Flag(yearsAhead, nameof(AthenaOptions.YearsAhead));
            var settings = new Settings(flags);
            var options = settings.Bind<AthenaOptions>(AthenaOptions.Section, o => o.Validate());
            var errors = settings.Errors.ToList();
            var terraform = parse.GetValue(format) == "terraform";
            if (parse.GetValue(since) is { } version)
            {
                if (version < 1)
                {
                    errors.Add($"--since is {version}; schema versions start at 1 (see SHOW TBLPROPERTIES <table>('{AthenaTable.VersionProperty}') in Athena)");
                }

                if (terraform)
                {
                    errors.Add("--since prints ALTER TABLE statements, which Terraform has no resource for; run them in Athena, or regenerate the Terraform without --since");
                }
            }

            if (parse.GetValue(glue) && !terraform)
            {
                errors.Add("--glue-table goes with --format terraform");
            }

            var only = parse.GetValue(tables) ?? [];
            errors.AddRange(only.Where(t => !AthenaNames.IsValidObjectName(t)).Select(t => $"--table {t}: not a table name (lower-case letters, digits and _)"));
            if (errors.Count > 0)
            {
                return Fail(errors);
            }

            try
            {
                var store = lake.OpenStore(parse);
                using var ownedStore = store as IDisposable;
                // Normalised (s3://bucket/prefix, no trailing slash) whichever way it was written.
                var root = options.Location is { } given && S3LakeLocation.TryParse(given, out var parsed) ? parsed.ToString() : (store as S3LakeStore)?.Root;
                if (root is null)
                {
                    return Fail([$"--lake {store.Root} is a local directory: say with --location s3://bucket/prefix (key {AthenaOptions.Section}:Location) where it will be uploaded, since Athena reads S3"]);
                }

                if (options.Location is null && AthenaOptions.LocationError(root) is { } problem)
                {
                    return Fail([$"--lake {root}: {problem}; give the tables a --location"]);
                }

                if (store is not S3LakeStore && !Directory.Exists(store.Root))
                {
                    return Fail([$"--lake {store.Root}: no such directory"]);
                }

                var described = await AthenaCatalog.DescribeAsync(store, only, root, options.YearsAhead, TimeProvider.System.GetUtcNow().Year, ct).ConfigureAwait(false);
                if (described.Count == 0)
                {
                    await Console.Error.WriteLineAsync($"streaming ddl: {store.Root} has no table schemas under {LakePaths.SchemasPrefix}/ (convert and run save one with a table's first file)").ConfigureAwait(false);
                    return ExitCodes.Failed;
                }

                foreach (var table in described)
                {
                    foreach (var column in table.Omitted)
                    {
                        await Console.Error.WriteLineAsync($"streaming ddl: {table.Name}: left out column {HiveDdl.Describe(column)}").ConfigureAwait(false);
                    }
                }

                var text = terraform
                    ? TerraformHcl.Render(described, options.Database ?? "default", parse.GetValue(glue), root)
                    : HiveDdl.Render(described, options.Database, parse.GetValue(since));
                await Console.Out.WriteAsync(text).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (LakeLocationException e)
            {
                return Fail([e.Message]);
            }
            catch (UnknownTableException e)
            {
                return Fail([$"--table: {e.Message}"]);
            }
            catch (LakeStoreConfigurationException e)
            {
                // No such bucket, access denied, bad credentials: configuration, which waiting will not fix.
                await Console.Error.WriteLineAsync($"streaming ddl: {e.Message}; {e.Fix}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or LakeStoreUnavailableException)
            {
                await Console.Error.WriteLineAsync($"streaming ddl: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static int Fail(IEnumerable<string> errors)
    {
        foreach (var e in errors)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"streaming ddl: {e}"));
        }

        return ExitCodes.Usage;
    }
}
