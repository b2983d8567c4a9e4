using System.Diagnostics;
using Streaming.TestSupport.Emulators;

namespace Streaming.EndToEnd.Tests;

/// <summary>The AWS CLI against the emulators: a real client, independent of the product's SDK code.</summary>
internal static class AwsCli
{
    /// <summary>Runs <c>aws</c> and returns its exit code and both streams.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> TryAsync(params string[] args)
    {
        var info = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey;
        info.Environment["AWS_DEFAULT_REGION"] = LocalAwsStack.Region;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs <c>aws</c>; fails the test when it fails.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        var (exitCode, output, error) = await TryAsync(args);
        Assert.True(exitCode == 0, $"aws {string.Join(' ', args)}: {error}");
        return output;
    }

    /// <summary>Copies an S3 lake (or what is left of it) into <paramref name="directory"/> and counts what it holds.</summary>
    public static async Task<LakeTotals> DownloadAsync(Uri s3, string lake, string directory)
    {
        Directory.CreateDirectory(directory);
        await RunAsync("s3", "sync", lake, directory, "--endpoint-url", s3.ToString(), "--only-show-errors");
        return LakeDiff.Count(directory);
    }
}
