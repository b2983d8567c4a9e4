using System.CommandLine;
using Streaming.Aws.Consumer;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Leases;
using Streaming.Core.Consumer;
using Streaming.Core.Diagnostics;
using Streaming.Core.Leases;

namespace Streaming.Cli.Commands;

/// <summary><c>streaming status --stream &lt;name&gt;</c>: one row per shard with its lease owner, checkpoint, parents and state.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per shard." };
        var stream = new StreamSettings(consumer: false);
        var command = new Command("status", "Show each shard of a stream with its lease: owner, checkpoint, parents, state.");
        stream.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var errors = stream.Bind(parse);
            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await Console.Error.WriteLineAsync($"streaming: {e}").ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            var (consumer, storeOptions, kinesisOptions) = (stream.Consumer, stream.LeaseStore, stream.Kinesis);
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
                return new StatusRow(
                    s.ShardId,
                    s.IsOpen,
                    lease?.Owner,
                    lease?.Checkpoint.ToString(),
                    lease?.Counter,
                    string.Join(",", s.ParentShardIds),
                    state,
                    lease?.Flushed.Count ?? 0);
            }).ToList();
            if (parse.GetValue(json))
            {
                foreach (var row in rows)
                {
                    Console.WriteLine(row.ToJson());
                }
            }
            else
            {
                Console.WriteLine($"{"shard",-24} {"state",-20} {"owner",-28} {"parents",-44} checkpoint");
                foreach (var r in rows)
                {
                    Console.WriteLine($"{r.Shard,-24} {r.State,-20} {r.Owner ?? "-",-28} {(r.Parents.Length == 0 ? "-" : r.Parents),-44} {r.Checkpoint ?? "-"}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>One shard as <c>status</c> shows it; <see cref="ToJson"/> is one line of <c>--json</c>.</summary>
internal sealed record StatusRow(string Shard, bool Open, string? Owner, string? Checkpoint, long? Counter, string Parents, string State, int PartitionsInFlight)
{
    public string ToJson() => JsonText.Serialize(new Dictionary<string, object?>
    {
        ["shard"] = Shard,
        ["open"] = Open,
        ["owner"] = Owner,
        ["checkpoint"] = Checkpoint,
        ["counter"] = Counter,
        ["parents"] = Parents,
        ["state"] = State,
        ["partitions_in_flight"] = PartitionsInFlight,
    });
}
