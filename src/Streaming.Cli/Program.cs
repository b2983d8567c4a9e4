using System.CommandLine;
using Streaming.Cli.Commands;

namespace Streaming.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("streaming: turns JSON business events into a Hive-partitioned Parquet lake for Athena.");
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ProduceCommand.Create());
        // SIGTERM, SIGINT and Ctrl+C cancel the command's token; the process then waits this long for it to
        // finish gracefully (run flushes, checkpoints and releases its leases within its own shutdown timeout).
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
        return await root.Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
    }
}
