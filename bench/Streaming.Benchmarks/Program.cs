using Streaming.Benchmarks.Consumer;
using Streaming.Benchmarks.DuckDb;
using Streaming.Benchmarks.Encoding;

// The benchmarks' helpers (docs/benchmarks.md), one process per measurement.
return args switch
{
    ["duckdb-copy", var input, var output] => DuckDbCopy.Run(input, output, "1"),
    ["duckdb-copy", var input, var output, "--threads", var threads] => DuckDbCopy.Run(input, output, threads),
    ["count", var lake] => LakeCount.Run(lake),
    ["compare", var expected, var actual] => LakeComparison.Run(expected, actual),
    ["query-columns", var lake, .. var queries] when queries.Length > 0 => QueryScanBytes.Columns(lake, queries),
    ["scan-bytes", var columns, var lake] => QueryScanBytes.Bytes(columns, lake),
    ["encode", var input] => await EncodeBenchmark.RunAsync(input, 3).ConfigureAwait(false),
    ["encode", var input, var rounds] => await EncodeBenchmark.RunAsync(input, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false),
    ["sql", .. var statements] when statements.Length > 0 => DuckDbSql.Run(statements),
    ["consumer", .. var rest] => await ConsumerBenchmark.RunAsync(rest).ConfigureAwait(false),
    ["live-files", .. var rest] => await LiveFilesBenchmark.RunAsync(rest).ConfigureAwait(false),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: streaming-bench duckdb-copy <events.ndjson> <output-dir> [--threads N|default]   (default: 1)
               streaming-bench count <lake>
               streaming-bench compare <expected-lake> <actual-lake>
               streaming-bench query-columns <lake> <query.sql>... (per query and table, the columns its Parquet scans read)
               streaming-bench scan-bytes <columns.tsv> <lake> (per query, compressed bytes of those column chunks)
               streaming-bench encode <events.ndjson> [rounds=3] (each lake candidate's encoding CPU on the same buffers)
               streaming-bench sql <statement>... (prints the last statement's rows, tab-separated)
               streaming-bench consumer <events.ndjson> --shards N [--aggregate] [--events-per-record K] [--lake dir]
               streaming-bench live-files [--shards S] [--types T] [--events-per-second R] [--hours H] [--from 00:00] [--max-buffer-age 00:05:00] [--hour-close-grace 00:10:00] [--late-share 0.01] [--late-max 00:02:00] [--seed N]
                   (files per (shard, table, hour) of the real consumer under live traffic, on a simulated clock)
        """);
    return 2;
}
