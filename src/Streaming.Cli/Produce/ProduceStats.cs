namespace Streaming.Cli.Produce;

/// <summary>Counters of one produce run; <see cref="KinesisProducer"/> updates them as it goes.</summary>
internal sealed class ProduceStats
{
    /// <summary>Events taken from the input.</summary>
    public long Events { get; set; }

    /// <summary>Events in records Kinesis accepted.</summary>
    public long EventsDelivered { get; set; }

    /// <summary>Events larger than a Kinesis record allows; never sent.</summary>
    public long EventsTooLarge { get; set; }

    /// <summary>Kinesis records accepted, aggregated or not.</summary>
    public long RecordsSent { get; set; }

    /// <summary>Of <see cref="RecordsSent"/>, the KPL aggregated records.</summary>
    public long AggregatedRecords { get; set; }

    /// <summary>Records sent again after a failure (each resend counts once).</summary>
    public long Retries { get; set; }

    public long PutRecordsCalls { get; set; }

    /// <summary>Data plus partition key of the records accepted.</summary>
    public long BytesSent { get; set; }
}
