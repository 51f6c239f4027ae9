using System.Globalization;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary>QEMU processes of a device, found by the <c>-name devicetest-&lt;device&gt;</c> DeviceTest gives them.</summary>
internal static class QemuProcesses
{
    public static IEnumerable<int> Find(string deviceName)
    {
        var marker = "\0devicetest-" + deviceName + "\0";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (cmdline.Contains("qemu-system", StringComparison.Ordinal) && cmdline.Contains(marker, StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }
}
