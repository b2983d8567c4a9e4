using System.Globalization;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// Time the process's threads spent running plus waiting for a CPU (Linux <c>/proc/self/task/*/schedstat</c>). Over a
/// run, divided by the wall time, it says how many cores the process would keep busy on a machine of its own, which
/// CPU time over wall time cannot say on a shared machine whose other load takes cores away. Threads that end during
/// the run take their share with them, so it is a lower bound.
/// </summary>
internal static class CpuDemand
{
    public static TimeSpan Now()
    {
        long nanoseconds = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                    nanoseconds += long.Parse(fields[0], CultureInfo.InvariantCulture) + long.Parse(fields[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }
}
