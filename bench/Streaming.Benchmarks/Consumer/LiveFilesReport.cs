using System.Globalization;
using System.Text;
using Streaming.Core.Lake;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// The live-files table: per hour of event time, the files, their rows, files per (table, hour) and per
/// (shard, table, hour), and why they were cut; then the same over the steady hours (all but the first, which starts
/// with the worker, and the last, which ends with its shutdown flush).
/// </summary>
internal static class LiveFilesReport
{
    private static readonly FlushReason[] Reasons = Enum.GetValues<FlushReason>();

    public static string Render(LiveFilesRun run, IReadOnlyList<LiveFilesFile> files)
    {
        var s = run.Settings;
        var c = run.Consumer;
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"live-files: {s.Shards} shards x {s.Types} types, {s.EventsPerSecond:0.##} events/s ({s.EventsPerSecond / s.Shards:0.##} per shard, {s.EventsPerSecond / s.Shards / s.Types:0.##} per (shard, table)), {s.Hours:0.##} simulated hours from {run.Start:yyyy-MM-ddTHH:mmZ}");
        text.AppendLine(inv, $"MaxBufferAge {c.MaxBufferAge}, HourCloseGrace {c.HourCloseGrace}, ReadInterval {c.ReadInterval}, IdleInterval {c.IdleInterval}, TargetFileSize {run.Lake.TargetFileSize}, MemoryBudget {run.Lake.MemoryBudget}; late events {s.LateShare:P1} up to {s.LateMax}");
        text.AppendLine(inv, $"events {run.Events:N0} ({run.LateEvents:N0} late), reads {run.Reads:N0}, peak buffered {run.PeakMemoryBytes / 1048576.0:N1} MiB, {run.Wall.TotalSeconds:N1} s wall, {run.CpuSeconds:N1} s CPU");
        text.AppendLine();
        text.AppendLine("| hour | counted | files | rows | files per (table, hour) | files per (shard, table, hour) min / mean / max | rows per file | why |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | --- | ---: | --- |");
        var first = TopOfHour(run.Start);
        var last = TopOfHour(run.End.AddTicks(-1));
        foreach (var hour in files.GroupBy(f => f.Hour).OrderBy(g => g.Key))
        {
            var counted = hour.Key == first ? "no (first)" : hour.Key == last ? "no (last)" : hour.Key < first || hour.Key > last ? "no" : "yes";
            var perShardTable = hour.GroupBy(f => (f.Shard, f.Table)).Select(g => g.Count()).ToList();
            var tables = hour.Select(f => f.Table).Distinct().Count();
            text.AppendLine(inv, $"| {hour.Key:HH:mm} | {counted} | {hour.Count():N0} | {hour.Sum(f => f.Rows):N0} | {hour.Count() / (double)tables:N2} | {perShardTable.Min()} / {perShardTable.Average():N2} / {perShardTable.Max()} | {hour.Average(f => f.Rows):N0} | {Why(hour)} |");
        }

        var steady = files.Where(f => f.Hour > first && f.Hour < last).ToList();
        text.AppendLine();
        if (steady.Count == 0)
        {
            text.AppendLine("No steady hour: the run touches fewer than three hours.");
            return text.ToString();
        }

        var hours = steady.Select(f => f.Hour).Distinct().Count();
        var cells = steady.GroupBy(f => (f.Hour, f.Shard, f.Table)).Select(g => g.Count()).ToList();
        var tableHours = steady.GroupBy(f => (f.Hour, f.Table)).Select(g => g.Count()).ToList();
        var histogram = string.Join(", ", cells.GroupBy(n => n).OrderBy(g => g.Key).Select(g => string.Create(inv, $"{g.Key} files: {g.Count()}")));
        text.AppendLine(inv, $"Steady hours ({hours}, without the first and the last):");
        text.AppendLine(inv, $"  files per (shard, table, hour): mean {cells.Average():N2}, min {cells.Min()}, max {cells.Max()} ({histogram} of {cells.Count} (shard, table, hour))");
        text.AppendLine(inv, $"  files per (table, hour):        mean {tableHours.Average():N2}, min {tableHours.Min()}, max {tableHours.Max()}");
        text.AppendLine(inv, $"  files per hour:                 {steady.Count / (double)hours:N1}");
        text.AppendLine(inv, $"  rows per file:                  {steady.Average(f => f.Rows):N0} (min {steady.Min(f => f.Rows):N0}, max {steady.Max(f => f.Rows):N0}); bytes per file {steady.Average(f => f.Bytes):N0}");
        text.AppendLine(inv, $"  why:                            {Why(steady)}");
        if (steady.Any(f => f.Reason == FlushReason.Shutdown))
        {
            text.AppendLine("  (the run ended before every steady hour was written: files of a steady hour were cut by the shutdown; run longer)");
        }

        return text.ToString();
    }

    private static DateTimeOffset TopOfHour(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);

    private static string Why(IEnumerable<LiveFilesFile> files)
    {
        var list = files.ToList();
        var parts = Reasons
            .Select(r => (Name: r.ToString(), Count: list.Count(f => f.Reason == r)))
            .Append((Name: "unknown", Count: list.Count(f => f.Reason is null)))
            .Where(p => p.Count > 0)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Count}"));
        return string.Join(", ", parts);
    }
}
