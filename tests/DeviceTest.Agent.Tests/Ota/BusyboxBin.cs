using System.Diagnostics;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>A PATH directory holding only busybox applets (sh, wget, od, sed, ...), as on a minimal device.</summary>
internal static class BusyboxBin
{
    private static readonly Lazy<string> Installed = new(Install);

    public static string Shell => DeviceTest.Lab.LabRequirement.FindProgram("busybox") ?? "/bin/busybox";

    public static string Directory => Installed.Value;

    private static string Install()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"devicetest-busybox-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(directory);
        using var process = Process.Start(Shell, ["--install", "-s", directory]);
        process.WaitForExit();
        File.Delete(Path.Combine(directory, "curl")); // busybox has none; make sure the script falls back to wget
        return directory;
    }
}
