using System.CommandLine;
using Microsoft.Extensions.Logging;
using Streaming.Aws.Kinesis;
using Streaming.Cli.Produce;

namespace Streaming.Cli.Commands;

/// <summary>
/// <c>streaming produce --stream &lt;name&gt; (--file &lt;ndjson&gt; | --generate &lt;n&gt;)</c>: puts events into a Kinesis
/// data stream, for demos, load tests and replaying old logs through the consumer.
/// </summary>
internal static class ProduceCommand
{
    public static Command Create()
    {
        var stream = new Option<string>("--stream") { Description = "The Kinesis data stream to put events into.", Required = true };
        var file = new Option<string?>("--file", "-f") { Description = "NDJSON events, plain or gzip (detected by content); - reads standard input." };
        var generate = new Option<long?>("--generate", "-n") { Description = "Generate this many demo events instead of reading a file." };
        var seed = new Option<int>("--seed") { Description = "Random seed of --generate.", DefaultValueFactory = _ => 42 };
        var aggregate = new Option<bool>("--aggregate") { Description = "Pack events into KPL aggregated records (one open aggregate per shard, up to 1 MiB each)." };
        var rate = new Option<double?>("--rate") { Description = "Send at most this many events per second (default: as fast as Kinesis accepts)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Records per PutRecords call, 1 to 500; a call is also closed at 5 MiB.", DefaultValueFactory = _ => KinesisLimits.MaxRecordsPerCall };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "Attempts per batch before failed records are given up on.", DefaultValueFactory = _ => 8 };
        var endpoint = new Option<string?>("--endpoint") { Description = "Kinesis endpoint URL. Key Streaming:Kinesis:ServiceUrl; else AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL." };
        var region = new Option<string?>("--region") { Description = "AWS region. Key Streaming:Kinesis:Region; else AWS_REGION and the AWS region chain." };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object." };
        var command = new Command("produce", "Put NDJSON events (from a file or generated) into a Kinesis data stream, optionally KPL-aggregated.");
        foreach (var option in new Option[] { stream, file, generate, seed, aggregate, rate, batchSize, maxAttempts, endpoint, region, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            var path = parse.GetValue(file);
            var count = parse.GetValue(generate);
            if ((path is null) == (count is null))
            {
                errors.Add("give exactly one of --file <ndjson> and --generate <n>");
            }

            if (count is < 0)
            {
                errors.Add($"--generate is {count}; it must be 0 or more events");
            }

            if (path is not null && path != "-" && !File.Exists(path))
            {
                errors.Add($"--file {path}: no such file");
            }

            var producerOptions = new ProducerOptions
            {
                StreamName = parse.GetValue(stream)!,
                Aggregate = parse.GetValue(aggregate),
                EventsPerSecond = parse.GetValue(rate),
                BatchSize = parse.GetValue(batchSize),
                MaxAttempts = parse.GetValue(maxAttempts),
            };
            errors.AddRange(producerOptions.Validate());
            var flags = new Dictionary<string, string?>();
            if (parse.GetValue(endpoint) is { } url)
            {
                flags[nameof(KinesisClientOptions.ServiceUrl)] = url;
            }

            if (parse.GetValue(region) is { } name)
            {
                flags[nameof(KinesisClientOptions.Region)] = name;
            }

            var clientOptions = KinesisSettings.Bind(flags, out var settingErrors);
            errors.AddRange(settingErrors);
            if (errors.Count > 0 || clientOptions is null)
            {
                return Fail(errors);
            }

            using var logging = Logging.CreateFactory(LogLevel.Warning);
            using var client = new KinesisClient(clientOptions, logger: logging.CreateLogger<KinesisClient>());
            try
            {
                // Resolves region and endpoint now, so that a missing region is a usage error before anything is read.
                _ = client.Endpoint;
            }
            catch (KinesisException e)
            {
                return Fail([e.ErrorMessage]);
            }

            var events = path is not null
                ? EventSources.ReadNdjson(path == "-"
                    ? Console.OpenStandardInput
                    : () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
                : EventSources.Generate(count!.Value, parse.GetValue(seed), DateTimeOffset.UtcNow);
            var producer = new KinesisProducer(client, producerOptions, TimeProvider.System, logging.CreateLogger("streaming.produce"));
            try
            {
                var summary = await producer.RunAsync(events, ct).ConfigureAwait(false);
                Write(summary, parse.GetValue(json));
                if (summary.EventsTooLarge > 0)
                {
                    await Console.Error.WriteLineAsync($"streaming produce: {summary.EventsTooLarge} events were larger than a Kinesis record ({KinesisLimits.MaxRecordBytes} bytes with the partition key) and were not sent").ConfigureAwait(false);
                    return ExitCodes.Failed;
                }

                return ExitCodes.Ok;
            }
            catch (ProduceFailedException e)
            {
                Write(e.Summary, parse.GetValue(json));
                await Console.Error.WriteLineAsync($"streaming produce: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            catch (KinesisException e)
            {
                await Console.Error.WriteLineAsync($"streaming produce: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await Console.Error.WriteLineAsync($"streaming produce: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static void Write(ProduceSummary summary, bool json)
    {
        if (json)
        {
            summary.WriteJson(Console.Out);
        }
        else
        {
            summary.WriteText(Console.Out);
        }
    }

    private static int Fail(IEnumerable<string> errors)
    {
        foreach (var e in errors)
        {
            Console.Error.WriteLine($"streaming: {e}");
        }

        return ExitCodes.Usage;
    }
}
