using System.Globalization;
using DeviceTest.Hardware.Qemu;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Qemu;

/// <summary>QEMU's serial console is a unix socket in the run's private folder, as QMP: no TCP port every local user could connect to.</summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class QemuConsoleSocketTests
{
    [TestMethod]
    public async Task Qemu_listens_on_no_tcp_port_but_the_forwarded_ones_and_its_console_is_a_private_socket()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await QemuBoard.RequireAsync(cts.Token);
        using var sshPort = LoopbackPort.Reserve();
        await using var machine = new QemuMachine(QemuBoard.Config(sshPort.Number), new() { Name = "console-socket", StartPaused = true });

        await machine.StartAsync(cts.Token);

        CollectionAssert.AreEquivalent(new[] { sshPort.Number }, ListeningTcpPorts(machine.ProcessId!.Value).ToArray(), "only the hostfwd port");
        var socket = machine.SerialSocketPath!;
        Assert.IsTrue(File.Exists(socket), socket);
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(socket)!),
            "the socket's folder is private");
        await using var console = await ConsoleTap.ConnectAsync(socket, cts.Token);
        StringAssert.Contains(machine.Description, $"serial unix:{socket}");
    }

    /// <summary>The TCP ports process <paramref name="pid"/> listens on (its socket inodes matched in /proc/net/tcp and tcp6).</summary>
    private static List<int> ListeningTcpPorts(int pid)
    {
        var inodes = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget ?? string.Empty)
            .Where(target => target.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(target => target["socket:[".Length..^1])
            .ToHashSet(StringComparer.Ordinal);
        var ports = new List<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadAllLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                const string Listen = "0A";
                if (fields.Length > 9 && fields[3] == Listen && inodes.Contains(fields[9]))
                {
                    ports.Add(int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }

        return ports;
    }
}
