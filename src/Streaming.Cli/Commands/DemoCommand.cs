using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Streaming.Cli.Demo;
using Streaming.Cli.Query;

namespace Streaming.Cli.Commands;

/// <summary>
/// <c>streaming demo</c>: the embedded default. Generates a few hours of a learning service's events, runs
/// them through the same pipeline as <c>convert</c> into a local lake, then answers the questions of docs/queries over the
/// lake with embedded DuckDB. No cloud account, no servers.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var events = new Option<long>("--events") { Description = "How many events to generate.", DefaultValueFactory = _ => 50_000 };
        var hours = new Option<int>("--hours") { Description = "Hours of event time the events span.", DefaultValueFactory = _ => 6 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same events.", DefaultValueFactory = _ => 42 };
        var start = new Option<string>("--start") { Description = "Event time of the first event (ISO-8601, UTC).", DefaultValueFactory = _ => "2021-09-16T00:00:00Z" };
        var settings = new LakeSettings("./lake");
        var command = new Command("demo", "Generate realistic events, convert them into a local lake and query it with DuckDB.");
        settings.AddTo(command);
        command.Options.Add(events);
        command.Options.Add(hours);
        command.Options.Add(seed);
        command.Options.Add(start);
        command.SetAction(async (parse, ct) =>
        {
            var options = settings.Bind(parse, out var errors);
            if (options is null || !DateTimeOffset.TryParse(parse.GetValue(start), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var startTime)
                || parse.GetValue(events) < 1 || parse.GetValue(hours) < 1)
            {
                foreach (var e in errors.DefaultIfEmpty("--events and --hours must be at least 1 and --start an ISO-8601 time"))
                {
                    await Console.Error.WriteLineAsync($"streaming: {e}").ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            var store = settings.OpenStore(parse, allowS3: false);
            var console = AnsiConsole.Console;
            console.MarkupLine($"[bold]Generating[/] {parse.GetValue(events):N0} events over {parse.GetValue(hours)} hours from {startTime:u}");
            var generated = new MemoryStream();
            new DemoEventGenerator(parse.GetValue(seed), startTime, TimeSpan.FromHours(parse.GetValue(hours)), badRate: 0.001)
                .Write(generated, parse.GetValue(events));
            console.MarkupLine($"[bold]Converting[/] {generated.Length / 1048576.0:N1} MB of NDJSON into [blue]{Markup.Escape(store.Root)}[/]");

            using var logging = Logging.CreateFactory(LogLevel.Warning);
            var run = new ConversionRun(store, options, null, logging.CreateLogger("streaming.demo"));
            var summary = await run.RunAsync([("demo-events.ndjson", () => new MemoryStream(generated.GetBuffer(), 0, (int)generated.Length, writable: false))], ct).ConfigureAwait(false);
            summary.WriteText(Console.Out);

            using var lake = LakeViews.Open(store.Root);
            console.WriteLine();
            console.MarkupLine($"[bold]Tables[/]: {string.Join(", ", lake.Tables)}");
            foreach (var (title, sql) in DemoAnalyses.All)
            {
                var result = lake.Query(sql);
                console.WriteLine();
                console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
                var table = new Table().Border(TableBorder.Rounded);
                foreach (var c in result.Columns)
                {
                    table.AddColumn(new TableColumn(Markup.Escape(c)));
                }

                foreach (var row in result.Rows)
                {
                    table.AddRow(row.Select(v => Markup.Escape(v is null ? "NULL" : QueryOutput.Text(v))).ToArray());
                }

                console.Write(table);
            }

            console.MarkupLine($"Query it yourself: [blue]streaming query --lake {Markup.Escape(store.Root)} \"SELECT ...\"[/] (the SQL of docs/queries runs there and in Athena),");
            console.MarkupLine($"or any Parquet reader over [blue]{Markup.Escape(store.Root)}/<table>/year=*/month=*/day=*/hour=*/*.parquet[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
