using System.Diagnostics;
using System.Globalization;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Timestamps of the adapter's steps in the test host, for finding where a run's time goes (docs/performance.md): with
/// <c>DEVICETEST_TRACE=&lt;file&gt;</c> each step appends a line to that file: the time of day, milliseconds since the
/// process started, the process and thread, the thread pool's threads and queued items, the step. Without it nothing is
/// measured or written.
/// </summary>
internal static class AdapterTrace
{
    public const string Variable = "DEVICETEST_TRACE";

    private static readonly string? FilePath = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;
    private static readonly Lock Gate = new();
    private static readonly DateTime ProcessStart = FilePath is null ? default : Process.GetCurrentProcess().StartTime.ToUniversalTime();

    static AdapterTrace()
    {
        if (FilePath is not null)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Mark("process exits");
        }
    }

    public static bool IsOn => FilePath is not null;

    /// <summary>Appends the step; with <paramref name="withProcessorTime"/> also the CPU time the process used so far.</summary>
    public static void Mark(string step, bool withProcessorTime = false)
    {
        if (FilePath is null)
        {
            return;
        }

        var now = DateTime.UtcNow;
        var cpu = withProcessorTime
            ? string.Create(CultureInfo.InvariantCulture, $" (cpu {Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F0} ms)")
            : string.Empty;
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{now:HH:mm:ss.fff} {(now - ProcessStart).TotalMilliseconds,8:F1} [{Environment.ProcessId}/{Environment.CurrentManagedThreadId} pool {ThreadPool.ThreadCount}/{ThreadPool.PendingWorkItemCount}] {step}{cpu}\n");
        lock (Gate)
        {
            File.AppendAllText(FilePath, line);
        }
    }
}
