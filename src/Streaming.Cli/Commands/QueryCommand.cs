using System.CommandLine;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using Streaming.Aws.Storage;
using Streaming.Cli.Athena;
using Streaming.Cli.Query;

namespace Streaming.Cli.Commands;

/// <summary>
/// <c>streaming query --lake &lt;dir|s3://...&gt; "&lt;sql&gt;"</c>: runs SQL with embedded DuckDB over one view per table,
/// named and typed as the Athena tables <c>streaming ddl</c> makes, so a query written for Athena runs locally. An S3
/// lake is read through the project's S3 store: the files of the tables the query names are copied to a temporary
/// folder first.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var lake = new LakeSettings();
        var sql = new Argument<string>("sql") { Description = "One SQL statement (Athena's dialect within what DuckDB runs; see docs/queries). - reads it from standard input." };
        var format = new Option<string>("--format") { Description = "table (default), csv or json (one object per row).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong([.. QueryOutput.Formats]);
        var command = new Command("query", "Run SQL over the lake's tables with embedded DuckDB (the views Athena's tables would be).");
        command.Arguments.Add(sql);
        command.Options.Add(lake.Lake);
        command.Options.Add(format);
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(sql)!;
            if (text == "-")
            {
                text = await Console.In.ReadToEndAsync(ct).ConfigureAwait(false);
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return Fail("the SQL is empty");
            }

            LakeDownload? download = null;
            try
            {
                var store = lake.OpenStore(parse);
                using var ownedStore = store as IDisposable;
                string directory;
                if (store is S3LakeStore)
                {
                    var schemas = await LakeSchemas.ReadLatestAsync(store, ct).ConfigureAwait(false);
                    var tables = TableReferences.In(text, schemas.Select(s => s.Table));
                    download = await LakeDownload.CreateAsync(store, tables, ct).ConfigureAwait(false);
                    await Console.Error.WriteLineAsync($"streaming query: {download.Describe(store.Root)}").ConfigureAwait(false);
                    directory = download.Directory;
                }
                else if (Directory.Exists(store.Root))
                {
                    directory = store.Root;
                }
                else
                {
                    return Fail($"--lake {store.Root}: no such directory");
                }

                using var views = LakeViews.Open(directory);
                QueryResult result;
                try
                {
                    result = views.Query(text);
                }
                catch (DuckDBException e)
                {
                    var message = OneLine(e.Message);
                    var kind = Kind(e);
                    if (kind == DuckDBErrorType.Catalog)
                    {
                        message += $" (tables: {(views.Tables.Count == 0 ? "none" : string.Join(", ", views.Tables))})";
                    }

                    // A query DuckDB cannot read or resolve is a bad command line; one that fails while running is failed work.
                    var usage = kind is DuckDBErrorType.Parser or DuckDBErrorType.Syntax or DuckDBErrorType.Binder or DuckDBErrorType.Catalog;
                    await Console.Error.WriteLineAsync($"streaming query: {message}").ConfigureAwait(false);
                    return usage ? ExitCodes.Usage : ExitCodes.Failed;
                }

                QueryOutput.Write(result, parse.GetValue(format)!, Console.Out);
                return ExitCodes.Ok;
            }
            catch (LakeLocationException e)
            {
                return Fail(e.Message);
            }
            catch (LakeStoreConfigurationException e)
            {
                // No such bucket, access denied, bad credentials: configuration, which waiting will not fix.
                await Console.Error.WriteLineAsync($"streaming query: {e.Message}; {e.Fix}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or LakeStoreUnavailableException)
            {
                await Console.Error.WriteLineAsync($"streaming query: {OneLine(e.Message)}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            finally
            {
                download?.Dispose();
            }
        });
        return command;
    }

    /// <summary>
    /// DuckDB's messages span lines (the error, a hint, then the query with a caret under the fault); one line keeps the
    /// error and the hint.
    /// </summary>
    internal static string OneLine(string message) => string.Join(
        ' ',
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeWhile(line => !line.StartsWith("LINE ", StringComparison.Ordinal)));

    /// <summary>
    /// The kind of a DuckDB error. Errors of a prepared statement come back without their type (Invalid), but their
    /// message starts with it ("Binder Error: ..."), as DuckDB prints every error.
    /// </summary>
    internal static DuckDBErrorType Kind(DuckDBException error)
    {
        if (error.ErrorType != DuckDBErrorType.Invalid)
        {
            return error.ErrorType;
        }

        var colon = error.Message.IndexOf(" Error:", StringComparison.Ordinal);
        return colon > 0 && Enum.TryParse<DuckDBErrorType>(error.Message[..colon].Replace(" ", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var kind)
            ? kind
            : DuckDBErrorType.Invalid;
    }

    private static int Fail(string error)
    {
        Console.Error.WriteLine($"streaming query: {error}");
        return ExitCodes.Usage;
    }
}
