using System.Runtime.InteropServices;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), for a breakdown of where a
/// run's CPU goes: a section that runs synchronously on one thread is charged exactly, whatever else runs meanwhile.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static bool Available { get; } = OperatingSystem.IsLinux() && TryNow(out _);

    /// <summary>Nanoseconds of CPU this thread has used; 0 where the clock is not available.</summary>
    public static long Now() => Available && TryNow(out var ns) ? ns : 0;

    private static bool TryNow(out long nanoseconds)
    {
        nanoseconds = 0;
        if (clock_gettime(ClockThreadCpuTime, out var time) != 0)
        {
            return false;
        }

        nanoseconds = (time.Seconds * 1_000_000_000) + time.Nanoseconds;
        return true;
    }

    [LibraryImport("libc", SetLastError = false)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int clock_gettime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
