namespace Streaming.Deploy.Tests;

/// <summary>
/// A test that starts a process as an unprivileged user. Run as root (as CI does) it needs <c>setpriv</c> (util-linux)
/// to drop to the image's user and is skipped, saying so, only when setpriv is missing; run as any other user it
/// needs nothing (the process is unprivileged already).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UnprivilegedFactAttribute : FactAttribute
{
    public UnprivilegedFactAttribute()
    {
        if (Unprivileged.RunningAsRoot && Unprivileged.Setpriv is null)
        {
            Skip = "setpriv (util-linux) is not on PATH: as root this test cannot start the worker as the image's non-root user; apt-get install util-linux";
        }
    }
}

public static class Unprivileged
{
    public static bool RunningAsRoot { get; } = Environment.UserName == "root" || GetUid() == 0;

    public static string? Setpriv { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Append("/usr/bin")
        .Select(d => Path.Combine(d, "setpriv"))
        .FirstOrDefault(File.Exists);

    private static int GetUid()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
