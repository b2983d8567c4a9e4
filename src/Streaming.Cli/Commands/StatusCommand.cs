using System.CommandLine;
using System.Text.Json;
using Streaming.Aws.Consumer;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Leases;
using Streaming.Core.Consumer;
using Streaming.Core.Leases;

namespace Streaming.Cli.Commands;

/// <summary><c>streaming status --stream &lt;name&gt;</c>: one row per shard with its lease owner, checkpoint, parents and state.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var stream = new Option<string?>("--stream") { Description = "The Kinesis stream. Key Streaming:Consumer:StreamName." };
        var leaseTable = new Option<string?>("--lease-table") { Description = "DynamoDB lease table (default streaming-leases). Key Streaming:Leases:TableName." };
        var kinesisEndpoint = new Option<string?>("--kinesis-endpoint") { Description = "Kinesis endpoint. Key Streaming:Kinesis:ServiceUrl." };
        var dynamoEndpoint = new Option<string?>("--dynamodb-endpoint") { Description = "DynamoDB endpoint. Key Streaming:Leases:ServiceUrl." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per shard." };
        var command = new Command("status", "Show each shard of a stream with its lease: owner, checkpoint, parents, state.");
        foreach (var option in new[] { stream, leaseTable, kinesisEndpoint, dynamoEndpoint })
        {
            command.Options.Add(option);
        }

        command.Options.Add(json);
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
            Flag(kinesisEndpoint, "Streaming:Kinesis:ServiceUrl");
            Flag(dynamoEndpoint, "Streaming:Leases:ServiceUrl");
            var settings = new Settings(flags);
            var consumer = settings.Bind<ConsumerOptions>(ConsumerOptions.Section, o => o.Validate());
            var leases = settings.Bind<LeaseOptions>(LeaseOptions.Section, o => o.Validate());
            var storeOptions = settings.Bind<DynamoDbLeaseStoreOptions>(DynamoDbLeaseStoreOptions.Section, o =>
            {
                o.TableName = string.IsNullOrEmpty(o.TableName) ? leases.TableName : o.TableName;
                return o.Validate();
            });
            var kinesisOptions = settings.Bind<KinesisClientOptions>(KinesisClientOptions.Section, o => o.Validate());
            if (settings.Errors.Count > 0)
            {
                foreach (var e in settings.Errors)
                {
                    await Console.Error.WriteLineAsync($"streaming: {e}").ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            using var kinesis = new KinesisClient(kinesisOptions);
            using var store = new DynamoDbLeaseStore(storeOptions);
            IReadOnlyList<ShardDescription> shards;
            Dictionary<string, Lease> byShard;
            try
            {
                shards = await new KinesisStreamReader(kinesis, consumer.StreamName).ListShardsAsync(ct).ConfigureAwait(false);
                byShard = (await store.ListAsync(ct).ConfigureAwait(false)).ToDictionary(l => l.ShardId, StringComparer.Ordinal);
            }
            catch (Exception e) when (e is KinesisException or LeaseStoreConfigurationException or LeaseStoreUnavailableException or StreamThrottledException)
            {
                await Console.Error.WriteLineAsync($"streaming status: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var rows = shards.Select(s =>
            {
                byShard.TryGetValue(s.ShardId, out var lease);
                var state = lease is null ? "no lease yet"
                    : lease.IsFinished ? "finished"
                    : !LeaseBalancer.ParentsFinished(lease, byShard) ? "waiting for parents"
                    : lease.Owner is null ? "free"
                    : "held";
                return new
                {
                    shard = s.ShardId,
                    open = s.IsOpen,
                    owner = lease?.Owner,
                    checkpoint = lease?.Checkpoint.ToString(),
                    counter = lease?.Counter,
                    parents = string.Join(",", s.ParentShardIds),
                    state,
                    partitions_in_flight = lease?.Flushed.Count ?? 0,
                };
            }).ToList();
            if (parse.GetValue(json))
            {
                foreach (var row in rows)
                {
                    Console.WriteLine(JsonSerializer.Serialize(row));
                }
            }
            else
            {
                Console.WriteLine($"{"shard",-24} {"state",-20} {"owner",-28} {"parents",-44} checkpoint");
                foreach (var r in rows)
                {
                    Console.WriteLine($"{r.shard,-24} {r.state,-20} {r.owner ?? "-",-28} {(r.parents.Length == 0 ? "-" : r.parents),-44} {r.checkpoint ?? "-"}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
