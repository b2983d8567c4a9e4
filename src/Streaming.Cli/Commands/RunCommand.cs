using System.CommandLine;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Aws.Consumer;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Leases;
using Streaming.Core.Configuration;
using Streaming.Cli.Service;
using Streaming.Core.Consumer;
using Streaming.Core.Diagnostics;
using Streaming.Core.Failures;
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
        var httpPort = new Option<string?>("--http-port") { Description = "Port of /healthz, /readyz and /metrics (default 8080, 0 turns them off). Key Streaming:Operations:HttpPort." };
        var lake = new LakeSettings();
        var stream = new StreamSettings(consumer: true);
        var command = new Command("run", "Consume a Kinesis stream into the lake, sharing its shards with other workers through DynamoDB leases.");
        stream.AddTo(command);
        lake.AddTo(command);
        command.Options.Add(verbose);
        command.Options.Add(httpPort);
        command.SetAction(async (parse, ct) =>
        {
            var lakeOptions = lake.Bind(parse, out var lakeErrors);
            var streamErrors = stream.Bind(parse);
            var (consumer, leases) = (stream.Consumer, stream.Leases);
            var operationFlags = new Dictionary<string, string?>();
            if (parse.GetValue(httpPort) is { } port)
            {
                operationFlags[$"{OperationsOptions.Section}:{nameof(OperationsOptions.HttpPort)}"] = port;
            }

            var operations = new Settings(operationFlags);
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

            if (operationsOptions.HttpPort != 0 && !PortIsFree(operationsOptions))
            {
                // Checked before anything starts: the consumer must not take leases only to stop at once.
                await Console.Error.WriteLineAsync(PortTaken(operationsOptions)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var id = leases.WorkerId ?? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
            var minimum = parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning;

            // A web host only when the operations endpoints are on; either way a Generic Host runs the consumer.
            IHostApplicationBuilder builder = operationsOptions.HttpPort == 0
                ? Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings())
                : OperationsServer.CreateBuilder(operationsOptions);
            builder.Logging.ClearProviders();
            Logging.Configure(builder.Logging, minimum);
            if (!parse.GetValue(verbose))
            {
                // The host logs a failed start with its stack trace; this command says it in one line instead.
                builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            }

            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = consumer.ShutdownTimeout + TimeSpan.FromSeconds(5));
            var services = builder.Services;

            // The services take their options from the host, bound from one configuration (appsettings.json <
            // environment < flags) and validated when the host starts; the same values were checked above so
            // that a bad one is reported before anything is built.
            var configuration = new Settings(lake.Flags(parse).Concat(stream.Flags(parse)).Concat(operationFlags).ToDictionary()).Configuration;
            services.AddValidatedOptions<LakeOptions>(configuration, LakeOptions.Section, o => o.Validate());
            services.AddValidatedOptions<ConsumerOptions>(configuration, ConsumerOptions.Section, o => o.Validate());
            services.AddValidatedOptions<LeaseOptions>(configuration, LeaseOptions.Section, o => o.Validate());
            services.AddValidatedOptions<KinesisClientOptions>(configuration, KinesisClientOptions.Section, o => o.Validate());
            services.AddValidatedOptions<OperationsOptions>(configuration, OperationsOptions.Section, o => o.Validate());
            services.AddValidatedOptions<DynamoDbLeaseStoreOptions>(configuration, DynamoDbLeaseStoreOptions.Section, o => o.Validate())
                .PostConfigure<IOptions<LeaseOptions>>((o, l) => StreamSettings.DefaultTableName(o, l.Value));
            services.AddSingleton(TimeProvider.System);
            services.AddMetrics();
            services.AddSingleton(store);
            services.AddSingleton(sp => new SchemaRegistry(store));
            services.AddSingleton(sp => new KinesisClient(sp.GetRequiredService<IOptions<KinesisClientOptions>>().Value, logger: sp.GetRequiredService<ILogger<KinesisClient>>()));
            services.AddSingleton<IStreamReader>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<ConsumerOptions>>().Value;
                return new KinesisStreamReader(sp.GetRequiredService<KinesisClient>(), options.StreamName, options.MaxRecordsPerRead);
            });
            services.AddSingleton<ILeaseStore>(sp => new DynamoDbLeaseStore(sp.GetRequiredService<IOptions<DynamoDbLeaseStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DynamoDbLeaseStore>>()));
            services.AddSingleton(new MemoryAccount());
            services.AddSingleton(new WorkerHealth());
            services.AddSingleton(sp => new LakeMetrics(sp.GetRequiredService<IMeterFactory>()));
            services.AddSingleton(sp => new ConsumerMetrics(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IMeterFactory>(), () => sp.GetRequiredService<MemoryAccount>().Bytes));
            services.AddSingleton(sp => new LakePublisher(store, new ParquetFileWriter(sp.GetRequiredService<IOptions<LakeOptions>>().Value), sp.GetRequiredService<SchemaRegistry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("streaming.run"), sp.GetRequiredService<LakeMetrics>(), memory: sp.GetRequiredService<MemoryAccount>(),
                publishingLimit: MemoryBounds.PublishingLimit(sp.GetRequiredService<IOptions<LakeOptions>>().Value.MemoryBudget)));
            services.AddSingleton(sp =>
            {
                var time = sp.GetRequiredService<TimeProvider>();
                var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("streaming.run");
                var reader = sp.GetRequiredService<IStreamReader>();
                var schemas = sp.GetRequiredService<SchemaRegistry>();
                var publisher = sp.GetRequiredService<LakePublisher>();
                var consumer = sp.GetRequiredService<IOptions<ConsumerOptions>>().Value;
                var leases = sp.GetRequiredService<IOptions<LeaseOptions>>().Value;
                var shardLakeOptions = sp.GetRequiredService<IOptions<LakeOptions>>().Value.WithStreamDefaults(consumer.MaxBufferAge, consumer.HourCloseGrace);
                var (lakeMetrics, consumerMetrics, memory) = (sp.GetRequiredService<LakeMetrics>(), sp.GetRequiredService<ConsumerMetrics>(), sp.GetRequiredService<MemoryAccount>());
                var health = sp.GetRequiredService<WorkerHealth>();

                // Each shard gets its own router (its own normaliser and caches); the schema registry, the
                // publisher and the memory account are shared and protect themselves.
                return new ShardSupervisor(
                    sp.GetRequiredService<ILeaseStore>(),
                    reader,
                    (held, checkpointer) => new ShardConsumer(
                        checkpointer,
                        reader,
                        new LakeRouter(shardLakeOptions, schemas, time, logger, lakeMetrics, memory),
                        publisher,
                        consumer,
                        time,
                        logger,
                        held.Stop.Token,
                        consumerMetrics,
                        health).RunAsync(),
                    leases,
                    consumer,
                    id,
                    time,
                    logger,
                    health,
                    consumerMetrics);
            });
            services.AddHostedService<ConsumerService>();
            using var host = builder is WebApplicationBuilder web ? OperationsServer.Build(web) : ((HostApplicationBuilder)builder).Build();

            // Before anything runs: the lake, the lease table and the stream must answer. What waiting cannot fix
            // is a configuration error (exit 2, one line); what may pass (an outage) ends the start with exit 1.
            try
            {
                await host.Services.GetRequiredService<SchemaRegistry>().LoadAsync(ct).ConfigureAwait(false);
                await host.Services.GetRequiredService<ILeaseStore>().EnsureTableAsync(ct).ConfigureAwait(false);
                await host.Services.GetRequiredService<IStreamReader>().ListShardsAsync(ct).ConfigureAwait(false);
            }
            catch (OptionsValidationException e)
            {
                foreach (var problem in e.Failures)
                {
                    await Console.Error.WriteLineAsync($"streaming: {problem}").ConfigureAwait(false);
                }

                (store as IDisposable)?.Dispose();
                return ExitCodes.Usage;
            }
            catch (Exception e) when (FailureClassifier.Classify(e, ct) is FailureKind.Permanent or FailureKind.Transient)
            {
                var permanent = FailureClassifier.Classify(e, ct) == FailureKind.Permanent;
                await Console.Error.WriteLineAsync($"streaming run: cannot start: {FailureClassifier.Describe(e)}").ConfigureAwait(false);
                if (parse.GetValue(verbose))
                {
                    await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
                }

                (store as IDisposable)?.Dispose();
                return permanent ? ExitCodes.Usage : ExitCodes.Failed;
            }

            // Read before the host runs: RunAsync disposes its services when it ends.
            var health = host.Services.GetRequiredService<WorkerHealth>();
            var heap = HeapLimit.Apply(host.Services.GetRequiredService<IOptions<LakeOptions>>().Value.MemoryBudget, host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("streaming.run"));
            var shardMetrics = host.Services.GetRequiredService<ConsumerMetrics>();
            using var heapFollower = heap is null ? null : new Timer(_ => heap.Follow(shardMetrics.ShardsTracked), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            await Console.Error.WriteLineAsync($"streaming run: worker {id} consuming {consumer.StreamName} into {store.Root}").ConfigureAwait(false);
            try
            {
                // SIGTERM and Ctrl+C cancel ct (Program sets how long the process waits for the graceful stop).
                await host.RunAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // The endpoints start before the consumer, so nothing was read or written.
                (store as IDisposable)?.Dispose();
                await Console.Error.WriteLineAsync(PortTaken(operationsOptions)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                (store as IDisposable)?.Dispose();
                await Console.Error.WriteLineAsync($"streaming run: worker {id} failed: {FailureClassifier.Describe(e)}").ConfigureAwait(false);
                if (parse.GetValue(verbose))
                {
                    await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
                }

                return ExitCodes.Failed;
            }

            (store as IDisposable)?.Dispose();
            if (health.Failure is { } failure)
            {
                await Console.Error.WriteLineAsync($"streaming run: worker {id} failed: {failure}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            if (health.UnfinishedStops is { Count: > 0 } unfinished)
            {
                await Console.Error.WriteLineAsync($"streaming run: worker {id} stopped, but {unfinished.Count} shard(s) could not write what they buffered ({string.Join(", ", unfinished)}); the next owner re-reads it from their checkpoints").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            await Console.Error.WriteLineAsync($"streaming run: worker {id} stopped").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string PortTaken(OperationsOptions options) =>
        $"streaming run: port {options.HttpPort} on {options.HttpAddress} is already in use; give this worker another with --http-port (Streaming__Operations__HttpPort), or 0 to turn the endpoints off";

    private static bool PortIsFree(OperationsOptions options)
    {
        try
        {
            var address = System.Net.IPAddress.TryParse(options.HttpAddress, out var parsed) ? parsed : System.Net.IPAddress.Any;
            var probe = new System.Net.Sockets.TcpListener(address, options.HttpPort);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }
}
