using System.CommandLine;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Leases;
using Streaming.Core.Consumer;
using Streaming.Core.Leases;

namespace Streaming.Cli.Commands;

/// <summary>
/// The options of the commands that work on a stream and its lease table (<c>run</c>, <c>status</c>): each a flag
/// and a configuration key, bound together and validated with the key named in every message.
/// </summary>
internal sealed class StreamSettings
{
    private readonly List<(Option<string?> Option, string[] Keys)> _flags = [];

    public StreamSettings(bool consumer)
    {
        Add("--stream", "The Kinesis stream.", "Streaming:Consumer:StreamName");
        Add("--lease-table", "DynamoDB lease table (default streaming-leases).", "Streaming:Leases:TableName");
        if (consumer)
        {
            Add("--worker-id", "This worker's id (default host name plus a random suffix).", "Streaming:Leases:WorkerId");
            Add("--initial-position", "Where new shards start: TRIM_HORIZON (default), LATEST or AT_TIMESTAMP.", "Streaming:Consumer:InitialPosition");
            Add("--initial-timestamp", "The time AT_TIMESTAMP starts from (ISO-8601).", "Streaming:Consumer:InitialTimestamp");
        }

        Add("--kinesis-endpoint", "Kinesis endpoint (default from AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL or the region).", "Streaming:Kinesis:ServiceUrl");
        Add("--dynamodb-endpoint", "DynamoDB endpoint (default from AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL or the region).", "Streaming:Leases:ServiceUrl");
        Add("--region", "AWS region for Kinesis and DynamoDB (default: the AWS region chain).", "Streaming:Kinesis:Region", "Streaming:Leases:Region");
    }

    public ConsumerOptions Consumer { get; private set; } = new();

    public LeaseOptions Leases { get; private set; } = new();

    public DynamoDbLeaseStoreOptions LeaseStore { get; private set; } = new();

    public KinesisClientOptions Kinesis { get; private set; } = new();

    public void AddTo(Command command)
    {
        foreach (var (option, _) in _flags)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Binds every section from the environment and the flags; returns the problems, each naming its key.</summary>
    public IReadOnlyList<string> Bind(ParseResult parse)
    {
        var settings = new Settings(Flags(parse));
        Consumer = settings.Bind<ConsumerOptions>(ConsumerOptions.Section, o => o.Validate());
        Leases = settings.Bind<LeaseOptions>(LeaseOptions.Section, o => o.Validate());
        LeaseStore = settings.Bind<DynamoDbLeaseStoreOptions>(DynamoDbLeaseStoreOptions.Section, o =>
        {
            DefaultTableName(o, Leases);
            return o.Validate();
        });
        Kinesis = settings.Bind<KinesisClientOptions>(KinesisClientOptions.Section, o => o.Validate());
        return settings.Errors;
    }

    /// <summary>One key, two readers: the lease table's name defaults the same for both.</summary>
    public static void DefaultTableName(DynamoDbLeaseStoreOptions store, LeaseOptions leases) =>
        store.TableName = string.IsNullOrEmpty(store.TableName) ? leases.TableName : store.TableName;

    /// <summary>The configuration keys the stream flags given on the command line set.</summary>
    public Dictionary<string, string?> Flags(ParseResult parse)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (option, keys) in _flags)
        {
            if (parse.GetValue(option) is { } value)
            {
                foreach (var key in keys)
                {
                    values[key] = value;
                }
            }
        }

        return values;
    }

    private void Add(string name, string description, params string[] keys) =>
        _flags.Add((new Option<string?>(name) { Description = $"{description} Key {string.Join(", ", keys)}." }, keys));
}
