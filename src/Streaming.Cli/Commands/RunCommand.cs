using System.CommandLine;
using Microsoft.Extensions.Logging;
using Streaming.Aws.Consumer;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Leases;
using Streaming.Core.Configuration;
using Streaming.Cli.Service;
using Streaming.Core.Consumer;
using Streaming.Core.Diagnostics;
using Streaming.Core.Lake;
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
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every lease and file event." };
        var lake = new LakeSettings();
        var stream = new StreamSettings(consumer: true);
        var command = new Command("run", "Consume a Kinesis stream into the lake, sharing its shards with other workers through DynamoDB leases.");
        stream.AddTo(command);
        lake.AddTo(command);
        command.Options.Add(verbose);
        command.SetAction(async (parse, ct) =>
        {
            var lakeOptions = lake.Bind(parse, out var lakeErrors);
            var streamErrors = stream.Bind(parse);
            var (consumer, leases, leaseStoreOptions, kinesisOptions) = (stream.Consumer, stream.Leases, stream.LeaseStore, stream.Kinesis);
            var operations = new Settings(new Dictionary<string, string?>());
            var operationsOptions = operations.Bind<OperationsOptions>(OperationsOptions.Section, o => o.Validate());
            var errors = lakeErrors.Concat(streamErrors).Concat(operations.Errors).Distinct().ToList();
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
            ILakeStore store;
            try
            {
                store = lake.OpenStore(parse);
            }
            catch (LakeLocationException e)
            {
                await Console.Error.WriteLineAsync($"streaming: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var ownedStore = store as IDisposable;
            var schemas = new SchemaRegistry(store);
            await schemas.LoadAsync(ct).ConfigureAwait(false);
            using var kinesis = new KinesisClient(kinesisOptions, logger: logging.CreateLogger<KinesisClient>());
            var reader = new KinesisStreamReader(kinesis, consumer.StreamName, consumer.MaxRecordsPerRead);
            using var leaseStore = new DynamoDbLeaseStore(leaseStoreOptions, time, logging.CreateLogger<DynamoDbLeaseStore>());
            var fileWriter = new ParquetFileWriter(lakeOptions);
            using var gate = new SemaphoreSlim(1, 1);
            var memory = new MemoryAccount();
            var lakeMetrics = new LakeMetrics();
            var consumerMetrics = new ConsumerMetrics(time, bufferedBytes: () => memory.Bytes);
            var id = leases.WorkerId ?? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

            LeaseCoordinator? coordinator = null;
            coordinator = new LeaseCoordinator(
                leaseStore,
                reader,
                held => new ShardProcessor(held, coordinator!, reader, store, fileWriter, lakeOptions, schemas, consumer, gate, time, logger, lakeMetrics, memory, consumerMetrics).RunAsync(),
                leases,
                consumer,
                id,
                time,
                logger);

            // SIGTERM and Ctrl+C cancel ct (Program sets how long the process waits for the graceful stop).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await using var server = await OperationsServer.StartAsync(operationsOptions, () => coordinator.IsReady, logging, ct).ConfigureAwait(false);
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
