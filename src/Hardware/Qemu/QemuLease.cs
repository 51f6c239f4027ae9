using System.Diagnostics;
using System.Globalization;

namespace DeviceTest.Hardware.Qemu;

/// <summary>
/// The record of one running QEMU in a per-user runtime directory: which process owns it and its private
/// temp dir (QMP socket, pidfile, disk overlay). A later run reaps QEMUs whose owner died without cleaning up.
/// </summary>
internal sealed class QemuLease
{
    private const string PidFileName = "qemu.pid";

    private QemuLease(string file, string directory)
    {
        File = file;
        Directory = directory;
    }

    /// <summary>The lease file in the runtime directory.</summary>
    public string File { get; }

    /// <summary>The machine's private temp dir (mode 700).</summary>
    public string Directory { get; }

    public string PidFile => Path.Combine(Directory, PidFileName);

    /// <summary>$XDG_RUNTIME_DIR/devicetest/qemu, else /tmp/devicetest-&lt;user&gt;/qemu.</summary>
    public static string RuntimeRoot
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
            return !string.IsNullOrEmpty(xdg) && System.IO.Directory.Exists(xdg)
                ? Path.Combine(xdg, "devicetest", "qemu")
                : Path.Combine(Path.GetTempPath(), "devicetest-" + Environment.UserName, "qemu");
        }
    }

    public static QemuLease Create(string runtimeRoot)
    {
        CreatePrivateDirectory(runtimeRoot);
        var directory = System.IO.Directory.CreateTempSubdirectory("devicetest-qemu-").FullName;
        var file = Path.Combine(runtimeRoot, Path.GetFileName(directory) + ".lease");
        var self = Environment.ProcessId;
        var content = string.Create(
            CultureInfo.InvariantCulture,
            $"owner {self} {ReadStartTime(self)}\ndir {directory}\n");
        System.IO.File.WriteAllText(file, content);
        return new QemuLease(file, directory);
    }

    /// <summary>Kills QEMUs (and removes their temp dirs) recorded by processes that no longer run.</summary>
    /// <returns>The ids of the QEMU processes killed.</returns>
    public static IReadOnlyList<int> ReapStale(string runtimeRoot)
    {
        var killed = new List<int>();
        if (!OperatingSystem.IsLinux() || !System.IO.Directory.Exists(runtimeRoot))
        {
            return killed;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(runtimeRoot, "*.lease"))
        {
            try
            {
                var (ownerPid, ownerStart, directory) = Parse(System.IO.File.ReadAllLines(file));
                if (ownerPid > 0 && ReadStartTime(ownerPid) is { } start && start == ownerStart)
                {
                    continue; // the owner still runs (e.g. a parallel test run)
                }

                if (directory is not null)
                {
                    var lease = new QemuLease(file, directory);
                    if (lease.KillRecordedQemu() is int pid)
                    {
                        killed.Add(pid);
                    }

                    lease.DeleteDirectory();
                }

                System.IO.File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // another run is reaping the same lease, or it is not ours to touch
            }
        }

        return killed;
    }

    /// <summary>The QEMU process id from the pidfile, when that process still runs with this lease's dir in its command line.</summary>
    public int? FindRecordedQemu()
    {
        if (!System.IO.File.Exists(PidFile))
        {
            return null;
        }

        if (!int.TryParse(System.IO.File.ReadAllText(PidFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        try
        {
            var cmdline = System.IO.File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains(Directory, StringComparison.Ordinal) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Release()
    {
        DeleteDirectory();
        try
        {
            System.IO.File.Delete(File);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private int? KillRecordedQemu()
    {
        if (FindRecordedQemu() is not int pid)
        {
            return null;
        }

        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
            p.WaitForExit(5000);
            return pid;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private void DeleteDirectory()
    {
        try
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static (int OwnerPid, long OwnerStart, string? Directory) Parse(string[] lines)
    {
        int ownerPid = 0;
        long ownerStart = 0;
        string? directory = null;
        foreach (var line in lines)
        {
            var parts = line.Split(' ', 3);
            if (parts is ["owner", var pid, var start])
            {
                ownerPid = int.Parse(pid, CultureInfo.InvariantCulture);
                ownerStart = long.Parse(start, CultureInfo.InvariantCulture);
            }
            else if (parts.Length >= 2 && parts[0] == "dir")
            {
                directory = line["dir ".Length..];
            }
        }

        return (ownerPid, ownerStart, directory);
    }

    /// <summary>A process's start time in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22), or null when it does not run.</summary>
    internal static long? ReadStartTime(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            var stat = System.IO.File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }

        System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
