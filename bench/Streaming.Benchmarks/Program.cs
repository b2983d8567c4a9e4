using Streaming.Benchmarks.Consumer;
using Streaming.Benchmarks.DuckDb;

// The benchmarks' helpers (docs/benchmarks.md), one process per measurement.
return args switch
{
    ["duckdb-copy", var input, var output] => DuckDbCopy.Run(input, output, "1"),
    ["duckdb-copy", var input, var output, "--threads", var threads] => DuckDbCopy.Run(input, output, threads),
    ["count", var lake] => LakeCount.Run(lake),
    ["compare", var expected, var actual] => LakeComparison.Run(expected, actual),
    ["consumer", .. var rest] => await ConsumerBenchmark.RunAsync(rest).ConfigureAwait(false),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: streaming-bench duckdb-copy <events.ndjson> <output-dir> [--threads N|default]   (default: 1)
               streaming-bench count <lake>
               streaming-bench compare <expected-lake> <actual-lake>
               streaming-bench consumer <events.ndjson> --shards N [--aggregate] [--events-per-record K] [--lake dir]
        """);
    return 2;
}
