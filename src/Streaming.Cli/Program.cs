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
        root.Subcommands.Add(ProduceCommand.Create());
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
