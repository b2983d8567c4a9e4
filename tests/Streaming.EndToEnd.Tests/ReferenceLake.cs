using System.Diagnostics;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// The lake <c>streaming convert</c> makes of lines: what a consumer's lake of the same lines must equal. Made by the
/// real executable, like the workers, so that both sides run the product's code paths end to end.
/// </summary>
internal static class ReferenceLake
{
    /// <summary>
    /// Converts each batch into <paramref name="lake"/> in turn, one <c>convert</c> per batch: a later batch sees the
    /// schemas an earlier one saved, as a consumer does when a test waits for one batch to land before the next.
    /// </summary>
    public static async Task<string> BuildAsync(string lake, params CorpusBatch[] batches)
    {
        foreach (var batch in batches)
        {
            await ConvertAsync(lake, batch.Lines);
        }

        return lake;
    }

    private static async Task ConvertAsync(string lake, IEnumerable<byte[]> lines)
    {
        var file = Path.Combine(Path.GetTempPath(), $"corpus-{Guid.NewGuid():N}.ndjson");
        await using (var output = File.Create(file))
        {
            foreach (var line in lines)
            {
                await output.WriteAsync(line);
                output.WriteByte((byte)'\n');
            }
        }

        try
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { typeof(Streaming.Cli.Program).Assembly.Location, "convert", file, "--lake", lake, "-q" })
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"streaming convert exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
