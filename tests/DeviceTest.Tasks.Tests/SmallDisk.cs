using System.Diagnostics;
using DeviceTest.Lab;

namespace DeviceTest.Tasks.Tests;

/// <summary>A tiny tmpfs (needs root and a sandbox that allows mounts; otherwise the test is skipped) to fill up.</summary>
internal sealed class SmallDisk : IDisposable
{
    private readonly string _path;

    private SmallDisk(string path) => _path = path;

    public static async Task<SmallDisk> MountAsync(string path, string size)
    {
        Directory.CreateDirectory(path);
        var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path);
        if (code != 0)
        {
            LabRequirement.Missing($"a full disk needs a small tmpfs, and 'mount -t tmpfs' failed here (root and mount permission needed): {error.Trim()}");
        }

        return new SmallDisk(path);
    }

    public void Dispose()
    {
        using var umount = Process.Start(new ProcessStartInfo("umount", ["-l", _path]) { UseShellExecute = false, RedirectStandardError = true })!;
        umount.WaitForExit();
    }

    private static async Task<(int Code, string Error)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }
}
