using System.CommandLine;
using Microsoft.Extensions.Logging;
using Streaming.Aws.Consumer;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Leases;
using Streaming.Core.Configuration;
using Streaming.Core.Consumer;
using Streaming.Core.Leases;
using Streaming.Core.Schema;
using Streaming.Parquet;

namespace Streaming.Cli.Commands;

/// <summary>
/// <c>streaming run --stream &lt;name&gt; --lake &lt;dir&gt;</c>: consumes every shard of a Kinesis stream into the
/// lake, sharing the shards with every other worker on the same lease table. Stops gracefully on SIGTERM or
/// Ctrl+C: flushes, checkpoints, releases its leases.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var stream = new Option<string?>("--stream") { Description = "The Kinesis stream. Key Streaming:Consumer:StreamName." };
        var leaseTable = new Option<string?>("--lease-table") { Description = "DynamoDB lease table (default streaming-leases). Key Streaming:Leases:TableName." };
        var workerId = new Option<string?>("--worker-id") { Description = "This worker's id (default host name plus a random suffix). Key Streaming:Leases:WorkerId." };
        var initial = new Option<string?>("--initial-position") { Description = "Where new shards start: TRIM_HORIZON (default), LATEST or AT_TIMESTAMP. Key Streaming:Consumer:InitialPosition." };
        var initialTime = new Option<string?>("--initial-timestamp") { Description = "The time AT_TIMESTAMP starts from (ISO-8601). Key Streaming:Consumer:InitialTimestamp." };
        var kinesisEndpoint = new Option<string?>("--kinesis-endpoint") { Description = "Kinesis endpoint (default from AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL or the region). Key Streaming:Kinesis:ServiceUrl." };
        var dynamoEndpoint = new Option<string?>("--dynamodb-endpoint") { Description = "DynamoDB endpoint (default from AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL or the region). Key Streaming:Leases:ServiceUrl." };
        var region = new Option<string?>("--region") { Description = "AWS region for Kinesis and DynamoDB (default: the AWS region chain)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every lease and file event." };
        var lake = new LakeSettings();
        var command = new Command("run", "Consume a Kinesis stream into the lake, sharing its shards with other workers through DynamoDB leases.");
        command.Options.Add(stream);
        lake.AddTo(command);
        foreach (var option in new[] { leaseTable, workerId, initial, initialTime, kinesisEndpoint, dynamoEndpoint, region })
        {
            command.Options.Add(option);
        }

        command.Options.Add(verbose);
        command.SetAction(async (parse, ct) =>
        {
            var flags = new Dictionary<string, string?>();
            void Flag(Option<string?> option, string key)
            {
                if (parse.GetValue(option) is { } value)
                {
                    flags[key] = value;
                }
            }

            Flag(stream, "Streaming:Consumer:StreamName");
            Flag(leaseTable, "Streaming:Leases:TableName");
            Flag(workerId, "Streaming:Leases:WorkerId");
            Flag(initial, "Streaming:Consumer:InitialPosition");
            Flag(initialTime, "Streaming:Consumer:InitialTimestamp");
            Flag(kinesisEndpoint, "Streaming:Kinesis:ServiceUrl");
            Flag(dynamoEndpoint, "Streaming:Leases:ServiceUrl");
            Flag(region, "Streaming:Kinesis:Region");
            Flag(region, "Streaming:Leases:Region");

            var lakeOptions = lake.Bind(parse, out var lakeErrors);
            var settings = new Settings(flags);
            var consumer = settings.Bind<ConsumerOptions>(ConsumerOptions.Section, o => o.Validate());
            var leases = settings.Bind<LeaseOptions>(LeaseOptions.Section, o => o.Validate());
            var leaseStoreOptions = settings.Bind<DynamoDbLeaseStoreOptions>(DynamoDbLeaseStoreOptions.Section, o =>
            {
                o.TableName = string.IsNullOrEmpty(o.TableName) ? leases.TableName : o.TableName;
                return o.Validate();
            });
            var kinesisOptions = settings.Bind<KinesisClientOptions>(KinesisClientOptions.Section, o => o.Validate());
            var errors = lakeErrors.Concat(settings.Errors).Distinct().ToList();
            if (lakeOptions is null || errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await Console.Error.WriteLineAsync($"streaming: {e}").ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            using var logging = Logging.CreateFactory(parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning);
            var logger = logging.CreateLogger("streaming.run");
            var time = TimeProvider.System;
            var store = lake.OpenStore(parse);
            var schemas = new SchemaRegistry(store);
            await schemas.LoadAsync(ct).ConfigureAwait(false);
            using var kinesis = new KinesisClient(kinesisOptions, logger: logging.CreateLogger<KinesisClient>());
            var reader = new KinesisStreamReader(kinesis, consumer.StreamName, consumer.MaxRecordsPerRead);
            using var leaseStore = new DynamoDbLeaseStore(leaseStoreOptions, time, logging.CreateLogger<DynamoDbLeaseStore>());
            var fileWriter = new ParquetFileWriter(lakeOptions);
            using var gate = new SemaphoreSlim(1, 1);
            var id = leases.WorkerId ?? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

            LeaseCoordinator? coordinator = null;
            coordinator = new LeaseCoordinator(
                leaseStore,
                reader,
                held => new ShardProcessor(held, coordinator!, reader, store, fileWriter, lakeOptions, schemas, consumer, gate, time, logger).RunAsync(),
                leases,
                consumer,
                id,
                time,
                logger);

            // SIGTERM and Ctrl+C cancel ct (Program sets how long the process waits for the graceful stop).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await Console.Error.WriteLineAsync($"streaming run: worker {id} consuming {consumer.StreamName} into {store.Root}").ConfigureAwait(false);
            try
            {
                await coordinator.RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }

            await Console.Error.WriteLineAsync($"streaming run: worker {id} stopped").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
