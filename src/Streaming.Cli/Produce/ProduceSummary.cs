using Streaming.Core.Diagnostics;

namespace Streaming.Cli.Produce;

internal sealed record ProduceSummary(
    long Events,
    long EventsDelivered,
    long EventsTooLarge,
    long RecordsSent,
    long AggregatedRecords,
    long Retries,
    long PutRecordsCalls,
    long BytesSent,
    TimeSpan Elapsed)
{
    public double EventsPerSecond => EventsDelivered / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public static ProduceSummary From(ProduceStats s, TimeSpan elapsed) => new(
        s.Events, s.EventsDelivered, s.EventsTooLarge, s.RecordsSent, s.AggregatedRecords, s.Retries, s.PutRecordsCalls, s.BytesSent, elapsed);

    public void WriteText(TextWriter output)
    {
        output.WriteLine($"events          {Events:N0} read, {EventsDelivered:N0} delivered, {EventsTooLarge:N0} too large for a record");
        output.WriteLine($"records sent    {RecordsSent:N0} ({AggregatedRecords:N0} KPL aggregated), {BytesSent:N0} bytes");
        output.WriteLine($"calls           {PutRecordsCalls:N0} PutRecords, {Retries:N0} records resent");
        output.WriteLine($"elapsed         {Elapsed.TotalSeconds:N2} s, {EventsPerSecond:N0} events/s");
    }

    public void WriteJson(TextWriter output)
    {
        var document = new Dictionary<string, object?>
        {
            ["events"] = Events,
            ["events_delivered"] = EventsDelivered,
            ["events_too_large"] = EventsTooLarge,
            ["records_sent"] = RecordsSent,
            ["aggregated_records"] = AggregatedRecords,
            ["retries"] = Retries,
            ["put_records_calls"] = PutRecordsCalls,
            ["bytes_sent"] = BytesSent,
            ["elapsed_seconds"] = Math.Round(Elapsed.TotalSeconds, 3),
            ["events_per_second"] = Math.Round(EventsPerSecond),
        };
        output.WriteLine(JsonText.Serialize(document));
    }
}
