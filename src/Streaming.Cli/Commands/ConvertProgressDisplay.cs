using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Streaming.Core.Backfill;

namespace Streaming.Cli.Commands;

/// <summary>
/// <c>convert</c>'s progress on standard error: a live display on a terminal (pieces done of total, bytes, events/s,
/// time left), a plain line every few seconds when standard error is a file or a pipe, nothing with <c>--quiet</c>.
/// </summary>
internal static class ConvertProgressDisplay
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    public static async Task<T> RunAsync<T>(BackfillProgress progress, bool quiet, Func<Task<T>> work)
    {
        if (quiet)
        {
            return await work().ConfigureAwait(false);
        }

        return Console.IsErrorRedirected
            ? await PlainAsync(progress, work).ConfigureAwait(false)
            : await LiveAsync(progress, work).ConfigureAwait(false);
    }

    private static async Task<T> PlainAsync<T>(BackfillProgress progress, Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        var running = work();
        while (await Task.WhenAny(running, Task.Delay(PlainInterval)).ConfigureAwait(false) != running)
        {
            await Console.Error.WriteLineAsync("  " + Line(progress, clock.Elapsed)).ConfigureAwait(false);
        }

        return await running.ConfigureAwait(false);
    }

    private static async Task<T> LiveAsync<T>(BackfillProgress progress, Func<Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var clock = Stopwatch.StartNew();
        var running = work();
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("starting", maxValue: 1);
                while (true)
                {
                    var finished = await Task.WhenAny(running, Task.Delay(250)).ConfigureAwait(false) == running;
                    task.MaxValue = Math.Max(1, progress.BytesTotal);
                    task.Value = Math.Min(task.MaxValue, progress.BytesRead);
                    task.Description = Markup.Escape(Description(progress, clock.Elapsed));
                    if (finished)
                    {
                        task.StopTask();
                        return;
                    }
                }
            }).ConfigureAwait(false);
        return await running.ConfigureAwait(false);
    }

    private static string Description(BackfillProgress p, TimeSpan elapsed) => string.Create(
        CultureInfo.InvariantCulture,
        $"{p.PiecesDone + p.PiecesSkipped + p.PiecesFailed:N0}/{p.PiecesTotal:N0} inputs ({p.PiecesSkipped:N0} skipped, {p.PiecesFailed:N0} failed), {p.Events / Math.Max(elapsed.TotalSeconds, 1e-3):N0} events/s");

    private static string Line(BackfillProgress p, TimeSpan elapsed)
    {
        var rate = p.BytesRead / Math.Max(elapsed.TotalSeconds, 1e-3);
        var left = p.BytesTotal > p.BytesRead && rate > 0 ? TimeSpan.FromSeconds((p.BytesTotal - p.BytesRead) / rate) : TimeSpan.Zero;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Description(p, elapsed)}, {p.Events:N0} events, {p.BytesRead / 1048576.0:N0}/{p.BytesTotal / 1048576.0:N0} MB, ETA {left:hh\\:mm\\:ss}");
    }
}
