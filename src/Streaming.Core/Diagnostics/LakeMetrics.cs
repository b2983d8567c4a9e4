using System.Diagnostics.Metrics;

namespace Streaming.Core.Diagnostics;

/// <summary>The lake writer's instruments (meter <c>Streaming.Lake</c>).</summary>
public sealed class LakeMetrics
{
    public const string MeterName = "Streaming.Lake";

    public LakeMetrics(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        EventsWritten = meter.CreateCounter<long>("streaming.events.written", "{event}", "Events written as rows, per table");
        EventsRejected = meter.CreateCounter<long>("streaming.events.rejected", "{event}", "Events kept under _errors, per reason");
        FilesWritten = meter.CreateCounter<long>("streaming.files.written", "{file}", "Files published to the lake");
        BytesWritten = meter.CreateCounter<long>("streaming.bytes.written", "By", "Bytes published to the lake");
        BlankRecords = meter.CreateCounter<long>("streaming.records.blank", "{record}", "Records (or user records) that held no event: empty or only white space");
        FlushDuration = meter.CreateHistogram<double>("streaming.flush.duration", "s", "Time to encode and publish one file");
        Meter = meter;
    }

    public Meter Meter { get; }

    public Counter<long> EventsWritten { get; }

    public Counter<long> EventsRejected { get; }

    public Counter<long> FilesWritten { get; }

    public Counter<long> BytesWritten { get; }

    public Counter<long> BlankRecords { get; }

    public Histogram<double> FlushDuration { get; }
}
