using System.Runtime.InteropServices;

namespace DeviceTest.Hardware.Local;

/// <summary>Signals a local process group (POSIX <c>kill(-pgid, sig)</c>).</summary>
internal static partial class ProcessGroup
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const int Eperm = 1;
    private const int Esrch = 3;

    /// <summary>
    /// Sends <paramref name="signal"/> to the process group <paramref name="processGroupId"/>. When no such group
    /// exists yet (the child has not reached <c>setsid()</c>), the process itself is signalled.
    /// </summary>
    public static void Signal(int processGroupId, int signal)
    {
        if (Kill(-processGroupId, signal) != 0 && Marshal.GetLastPInvokeError() == Esrch)
        {
            _ = Kill(processGroupId, signal);
        }
    }

    /// <summary>True while any process (zombies included) is left in the group.</summary>
    public static bool Exists(int processGroupId) =>
        Kill(-processGroupId, 0) == 0 || Marshal.GetLastPInvokeError() == Eperm;

    /// <summary>SIGTERM to the group, up to <paramref name="gracePeriod"/> for it to go, then SIGKILL.</summary>
    public static async Task TerminateAsync(int processGroupId, TimeSpan gracePeriod)
    {
        Signal(processGroupId, SigTerm);
        var started = TimeProvider.System.GetTimestamp();
        while (Exists(processGroupId) && TimeProvider.System.GetElapsedTime(started) < gracePeriod)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25), CancellationToken.None);
        }

        if (Exists(processGroupId))
        {
            Signal(processGroupId, SigKill);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
