using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Streaming.Aws.Kinesis.Internal;

/// <summary>
/// The JSON 1.1 shapes of the operations we use: request bodies are written with <see cref="Utf8JsonWriter"/>,
/// answers read from <see cref="JsonElement"/>, except GetRecords, the hot path, read in one pass. Blobs are base64, timestamps epoch seconds with a fraction.
/// </summary>
internal static class KinesisWire
{
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer, state);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteEpochSeconds(Utf8JsonWriter writer, string name, DateTimeOffset timestamp) =>
        writer.WriteNumber(name, timestamp.ToUnixTimeMilliseconds() / 1000m);

    public static DateTimeOffset? ReadEpochSeconds(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => FromEpochSeconds(element.TryGetDecimal(out var exact) ? exact : (decimal)element.GetDouble()),
        JsonValueKind.String => FromEpochText(element.GetString()),
        _ => null,
    };

    private static DateTimeOffset? ReadEpochSeconds(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => FromEpochSeconds(reader.TryGetDecimal(out var exact) ? exact : (decimal)reader.GetDouble()),
        JsonTokenType.String => FromEpochText(reader.GetString()),
        _ => null,
    };

    private static DateTimeOffset FromEpochSeconds(decimal seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Round(seconds * 1000m, MidpointRounding.AwayFromZero));

    /// <summary>Epoch seconds written as text, or (from some emulators) an ISO-8601 time.</summary>
    private static DateTimeOffset? FromEpochText(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? FromEpochSeconds(seconds)
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso) ? iso
        : null;

    public static string IteratorTypeName(ShardIteratorType type) => type switch
    {
        ShardIteratorType.TrimHorizon => "TRIM_HORIZON",
        ShardIteratorType.Latest => "LATEST",
        ShardIteratorType.AtTimestamp => "AT_TIMESTAMP",
        ShardIteratorType.AtSequenceNumber => "AT_SEQUENCE_NUMBER",
        ShardIteratorType.AfterSequenceNumber => "AFTER_SEQUENCE_NUMBER",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown shard iterator type"),
    };

    public static string FilterTypeName(ShardFilterType type) => type switch
    {
        ShardFilterType.AfterShardId => "AFTER_SHARD_ID",
        ShardFilterType.AtTrimHorizon => "AT_TRIM_HORIZON",
        ShardFilterType.FromTrimHorizon => "FROM_TRIM_HORIZON",
        ShardFilterType.AtLatest => "AT_LATEST",
        ShardFilterType.AtTimestamp => "AT_TIMESTAMP",
        ShardFilterType.FromTimestamp => "FROM_TIMESTAMP",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown shard filter type"),
    };

    public static StreamStatus ParseStatus(string? status) => status switch
    {
        "CREATING" => StreamStatus.Creating,
        "DELETING" => StreamStatus.Deleting,
        "ACTIVE" => StreamStatus.Active,
        "UPDATING" => StreamStatus.Updating,
        _ => StreamStatus.Unknown,
    };

    /// <summary>Adds the shards of one ListShards page to <paramref name="into"/> and returns the NextToken, if any.</summary>
    public static string? ReadShardPage(string operation, JsonElement root, List<Shard> into)
    {
        if (root.TryGetProperty("Shards", out var shards) && shards.ValueKind == JsonValueKind.Array)
        {
            foreach (var shard in shards.EnumerateArray())
            {
                var sequenceRange = Required(operation, shard, "SequenceNumberRange");
                into.Add(new Shard(
                    RequiredString(operation, shard, "ShardId"),
                    OptionalString(shard, "ParentShardId"),
                    OptionalString(shard, "AdjacentParentShardId"),
                    ReadHashKeyRange(operation, Required(operation, shard, "HashKeyRange")),
                    new SequenceNumberRange(
                        RequiredString(operation, sequenceRange, "StartingSequenceNumber"),
                        OptionalString(sequenceRange, "EndingSequenceNumber"))));
            }
        }

        return OptionalString(root, "NextToken");
    }

    public static StreamSummary ReadStreamSummary(string operation, JsonElement root)
    {
        var summary = Required(operation, root, "StreamDescriptionSummary");
        var retentionHours = summary.TryGetProperty("RetentionPeriodHours", out var hours) && hours.TryGetInt32(out var h) ? h : 24;
        var openShards = summary.TryGetProperty("OpenShardCount", out var open) && open.TryGetInt32(out var o) ? o : 0;
        return new StreamSummary(
            RequiredString(operation, summary, "StreamName"),
            OptionalString(summary, "StreamARN"),
            ParseStatus(OptionalString(summary, "StreamStatus")),
            openShards,
            TimeSpan.FromHours(retentionHours),
            summary.TryGetProperty("StreamCreationTimestamp", out var created) ? ReadEpochSeconds(created) : null);
    }

    /// <summary>
    /// Reads a GetRecords answer straight from its bytes with <see cref="Utf8JsonReader"/>: the hot path of the
    /// consumer (up to 10,000 records and 10 MB per answer) builds no document, only the records. The rare
    /// <c>ChildShards</c> of a closed shard's last answer are read through <see cref="JsonElement"/>.
    /// </summary>
    public static GetRecordsResult ReadGetRecords(string operation, ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json.IsEmpty ? "{}"u8 : json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed(operation, "the answer is not a JSON object");
            }

            var records = new List<KinesisRecord>();
            string? next = null;
            long? behind = null;
            IReadOnlyList<ChildShard> children = [];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("Records"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        records.Add(ReadRecord(operation, ref reader));
                    }
                }
                else if (reader.ValueTextEquals("NextShardIterator"u8))
                {
                    reader.Read();
                    next = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("MillisBehindLatest"u8))
                {
                    reader.Read();
                    behind = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var m) ? m : null;
                }
                else if (reader.ValueTextEquals("ChildShards"u8))
                {
                    reader.Read();
                    children = ReadChildShards(operation, JsonElement.ParseValue(ref reader));
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return new GetRecordsResult(records, next, behind, children);
        }
        catch (JsonException e)
        {
            throw new KinesisException(KinesisErrorKind.Fatal, operation, "MalformedResponse", $"The answer is not JSON: {e.Message}", innerException: e);
        }
    }

    private static KinesisRecord ReadRecord(string operation, ref Utf8JsonReader reader)
    {
        byte[] data = [];
        string? sequence = null;
        var partitionKey = string.Empty;
        DateTimeOffset? arrival = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Data"u8))
            {
                reader.Read();
                data = reader.TokenType == JsonTokenType.String ? reader.GetBytesFromBase64() : [];
            }
            else if (reader.ValueTextEquals("SequenceNumber"u8))
            {
                reader.Read();
                sequence = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("PartitionKey"u8))
            {
                reader.Read();
                partitionKey = reader.TokenType == JsonTokenType.String ? reader.GetString() ?? string.Empty : string.Empty;
            }
            else if (reader.ValueTextEquals("ApproximateArrivalTimestamp"u8))
            {
                reader.Read();
                arrival = ReadEpochSeconds(ref reader);
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return new KinesisRecord(data, sequence ?? throw Malformed(operation, "'SequenceNumber' is missing"), partitionKey, arrival);
    }

    private static List<ChildShard> ReadChildShards(string operation, JsonElement childItems)
    {
        var children = new List<ChildShard>();
        if (childItems.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in childItems.EnumerateArray())
            {
                var parents = new List<string>();
                if (child.TryGetProperty("ParentShards", out var parentItems) && parentItems.ValueKind == JsonValueKind.Array)
                {
                    foreach (var parent in parentItems.EnumerateArray())
                    {
                        parents.Add(parent.GetString() ?? string.Empty);
                    }
                }

                children.Add(new ChildShard(
                    RequiredString(operation, child, "ShardId"),
                    parents,
                    ReadHashKeyRange(operation, Required(operation, child, "HashKeyRange"))));
            }
        }

        return children;
    }

    public static PutRecordsResult ReadPutRecords(string operation, JsonElement root)
    {
        var entries = new List<PutRecordsResultEntry>();
        foreach (var item in Required(operation, root, "Records").EnumerateArray())
        {
            entries.Add(new PutRecordsResultEntry(
                OptionalString(item, "SequenceNumber"),
                OptionalString(item, "ShardId"),
                OptionalString(item, "ErrorCode"),
                OptionalString(item, "ErrorMessage")));
        }

        var failed = root.TryGetProperty("FailedRecordCount", out var count) && count.TryGetInt32(out var c)
            ? c
            : entries.Count(e => !e.Succeeded);
        return new PutRecordsResult(failed, entries);
    }

    public static string ReadShardIterator(string operation, JsonElement root) => RequiredString(operation, root, "ShardIterator");

    private static HashKeyRange ReadHashKeyRange(string operation, JsonElement range) => new(
        ParseHashKey(operation, RequiredString(operation, range, "StartingHashKey")),
        ParseHashKey(operation, RequiredString(operation, range, "EndingHashKey")));

    private static BigInteger ParseHashKey(string operation, string text) =>
        BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(operation, $"hash key '{text}' is not a decimal integer");

    private static JsonElement Required(string operation, JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw Malformed(operation, $"'{name}' is missing");

    private static string RequiredString(string operation, JsonElement parent, string name) =>
        OptionalString(parent, name) ?? throw Malformed(operation, $"'{name}' is missing");

    private static string? OptionalString(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static KinesisException Malformed(string operation, string detail) =>
        new(KinesisErrorKind.Fatal, operation, "MalformedResponse", $"The answer could not be read: {detail}");
}
