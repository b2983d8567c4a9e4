using Streaming.Core.Diagnostics;
using Streaming.Core.Events;
using Streaming.Core.Lake;

namespace Streaming.Cli.Commands;

/// <param name="FinalFlush">Time spent writing the buffers still open when the input ended.</param>
internal sealed record ConversionSummary(LakeWriterStats Stats, long BytesRead, TimeSpan Elapsed, TimeSpan FinalFlush)
{
    /// <summary>The inputs of a <c>convert</c> run (objects, pieces skipped and failed); null for the demo.</summary>
    public Streaming.Core.Backfill.BackfillResult? Backfill { get; init; }

    public double EventsPerSecond => Stats.Events / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public void WriteText(TextWriter output)
    {
        var s = Stats;
        if (Backfill is { } b)
        {
            output.WriteLine($"objects         {b.Objects:N0} ({b.Pieces.Count:N0} inputs: {b.Converted:N0} converted, {b.Skipped:N0} skipped as already done, {b.Failed:N0} failed, {b.NotStarted:N0} not started)");
        }

        output.WriteLine($"events          {s.Events:N0}");
        output.WriteLine($"rows            {s.Rows:N0} ({s.RowsWritten:N0} written, {s.RowsAlreadyPresent:N0} already in the lake)");
        output.WriteLine($"rejected        {s.Rejected:N0}{Reasons(s)}");
        output.WriteLine($"tables          {s.Tables.Count:N0}");
        output.WriteLine($"partitions      {s.Partitions.Count:N0}");
        output.WriteLine($"files           {s.FilesWritten:N0} written, {s.FilesAlreadyPresent:N0} already present, {s.ErrorFilesWritten:N0} error files");
        output.WriteLine($"bytes           {s.BytesWritten:N0} Parquet bytes written, {BytesRead:N0} bytes read");
        output.WriteLine($"date fallback   {s.UsedArrivalTime:N0} events without a usable date (arrival time used)");
        output.WriteLine($"rescued values  {s.RescuedValues:N0}");
        // With several inputs at once, the last buffers of one are written while others are still read: no separate figure.
        var flush = Backfill is null ? $" ({FinalFlush.TotalSeconds:N2} s writing the last buffers)" : string.Empty;
        output.WriteLine($"elapsed         {Elapsed.TotalSeconds:N2} s{flush}, {EventsPerSecond:N0} events/s, {BytesRead / 1048576.0 / Math.Max(Elapsed.TotalSeconds, 1e-9):N1} MB/s");
    }

    public void WriteJson(TextWriter output)
    {
        var s = Stats;
        var document = new Dictionary<string, object?>
        {
            ["events"] = s.Events,
            ["rows"] = s.Rows,
            ["rows_written"] = s.RowsWritten,
            ["rows_already_present"] = s.RowsAlreadyPresent,
            ["rejected"] = s.Rejected,
            ["rejected_by_reason"] = s.RejectedByReason.ToDictionary(kv => kv.Key.Code(), kv => kv.Value),
            ["tables"] = s.Tables.Count,
            ["partitions"] = s.Partitions.Count,
            ["files"] = s.FilesWritten,
            ["files_already_present"] = s.FilesAlreadyPresent,
            ["error_files"] = s.ErrorFilesWritten,
            ["bytes_written"] = s.BytesWritten,
            ["bytes_read"] = BytesRead,
            ["used_arrival_time"] = s.UsedArrivalTime,
            ["rescued_values"] = s.RescuedValues,
            ["elapsed_seconds"] = Math.Round(Elapsed.TotalSeconds, 3),
            ["final_flush_seconds"] = Math.Round(FinalFlush.TotalSeconds, 3),
            ["events_per_second"] = Math.Round(EventsPerSecond),
            ["gc_pause_seconds"] = Math.Round(GC.GetTotalPauseDuration().TotalSeconds, 3),
            ["gc_collections"] = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
        };
        if (Backfill is { } b)
        {
            document["objects"] = b.Objects;
            document["inputs"] = b.Pieces.Count;
            document["converted"] = b.Converted;
            document["skipped"] = b.Skipped;
            document["failed"] = b.Failed;
            document["not_started"] = b.NotStarted;
            document["failed_inputs"] = b.Pieces.Where(p => p.State == Streaming.Core.Backfill.PieceState.Failed).Select(p => p.Error).ToList();
        }

        output.WriteLine(JsonText.Serialize(document));
    }

    private static string Reasons(LakeWriterStats s) => s.RejectedByReason.Count == 0
        ? string.Empty
        : " (" + string.Join(", ", s.RejectedByReason.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key.Code()} {kv.Value:N0}")) + ")";
}
