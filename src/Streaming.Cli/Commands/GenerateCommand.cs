using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using Streaming.Cli.Demo;

namespace Streaming.Cli.Commands;

/// <summary><c>streaming generate</c>: the demo's event generator on its own, for benchmarks and test data.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var events = new Option<long>("--events", "-n") { Description = "How many events.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "File to write (gzip when it ends in .gz); - for standard output.", DefaultValueFactory = _ => "-" };
        var hours = new Option<int>("--hours") { Description = "Hours of event time the events span.", DefaultValueFactory = _ => 24 };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 42 };
        var start = new Option<string>("--start") { Description = "Event time of the first event.", DefaultValueFactory = _ => "2021-09-16T00:00:00Z" };
        var badRate = new Option<double>("--bad-rate") { Description = "Share of malformed events (0 to 1).", DefaultValueFactory = _ => 0 };
        var command = new Command("generate", "Write realistic NDJSON events of the demo's learning service.");
        command.Options.Add(events);
        command.Options.Add(output);
        command.Options.Add(hours);
        command.Options.Add(seed);
        command.Options.Add(start);
        command.Options.Add(badRate);
        command.SetAction(parse =>
        {
            if (!DateTimeOffset.TryParse(parse.GetValue(start), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var startTime)
                || parse.GetValue(events) < 0 || parse.GetValue(hours) < 1 || parse.GetValue(badRate) is < 0 or > 1)
            {
                Console.Error.WriteLine("streaming: --events must be 0 or more, --hours at least 1, --bad-rate between 0 and 1, --start an ISO-8601 time");
                return ExitCodes.Usage;
            }

            var path = parse.GetValue(output)!;
            using var file = path == "-" ? Console.OpenStandardOutput() : File.Create(path);
            using var target = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)new BufferedStream(file, 1 << 16);
            new DemoEventGenerator(parse.GetValue(seed), startTime, TimeSpan.FromHours(parse.GetValue(hours)), parse.GetValue(badRate))
                .Write(target, parse.GetValue(events));
            return ExitCodes.Ok;
        });
        return command;
    }
}
