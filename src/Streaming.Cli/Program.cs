using System.CommandLine;
using Streaming.Cli.Commands;

namespace Streaming.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Streaming.Aws.AwsSdkRuntime.RegisterDependencies();
        var root = new RootCommand("streaming: turns JSON business events into a Hive-partitioned Parquet lake for Athena.");
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ProduceCommand.Create());
        root.Subcommands.Add(DdlCommand.Create());
        root.Subcommands.Add(QueryCommand.Create());
        // SIGTERM, SIGINT and Ctrl+C cancel the command's token; the process then waits this long for it to
        // finish gracefully (run flushes, checkpoints and releases its leases within its own shutdown timeout).
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // A bad command line is exit code 2 like any other bad configuration, in one line per problem, not the
            // help page with exit code 1 that System.CommandLine gives by default.
            var name = parse.CommandResult.Command is RootCommand ? "streaming" : $"streaming {parse.CommandResult.Command.Name}";
            foreach (var error in parse.Errors)
            {
                var message = string.Join(' ', error.Message.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                await Console.Error.WriteLineAsync($"{name}: {message} (see --help)").ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(invocation).ConfigureAwait(false);
    }
}
