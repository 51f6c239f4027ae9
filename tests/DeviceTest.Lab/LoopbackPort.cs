using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DeviceTest.Lab;

/// <summary>
/// A 127.0.0.1 TCP port held for one fixture for as long as it lives, for another process to listen on (sshd,
/// ser2net, pdudaemon, QEMU's forwarded SSH port, the agent, the gateway stand-in's Kestrel), also across restarts
/// of that process. Dispose it together with the fixture.
/// <para>
/// "Listen on port 0, note the port, close, hand it on" races: until the other process binds it, the port is free,
/// and the kernel may give it to any other process's port-0 bind (another fixture, vstest's own sockets, dotnet),
/// and the daemon then fails with "Address already in use". So these ports come from below the kernel's ephemeral
/// range (<c>net.ipv4.ip_local_port_range</c>), which it never hands out for port-0 binds or outgoing connections;
/// between fixtures (in any process, any checkout) an exclusive lock file per port in
/// <c>/tmp/devicetest-lab-ports/</c> decides, and a probe bind skips ports that something else already uses.
/// The lock files stay behind empty (deleting them would race with the next fixture opening them).
/// </para>
/// </summary>
public sealed class LoopbackPort : IDisposable
{
    private const int Lowest = 20000;
    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "devicetest-lab-ports");
    private readonly FileStream _lock;

    private LoopbackPort(int port, FileStream held)
    {
        Number = port;
        _lock = held;
    }

    /// <summary>The port number (on 127.0.0.1).</summary>
    public int Number { get; }

    /// <summary>Holds a free port until disposed. Skips (or on CI fails) the test when the kernel's port range does not allow it.</summary>
    public static LoopbackPort Reserve()
    {
        Directory.CreateDirectory(LockDirectory);
        var end = EphemeralLow();
        var count = end - Lowest;
        var first = Random.Shared.Next(count);
        for (var i = 0; i < count; i++)
        {
            var port = Lowest + ((first + i) % count);
            if (TryLock(port) is not { } held)
            {
                continue;
            }

            if (IsFree(port))
            {
                return new LoopbackPort(port, held);
            }

            held.Dispose();
        }

        throw new InvalidOperationException(
            $"no free 127.0.0.1 port in {Lowest}-{end - 1} (all locked in {LockDirectory} or in use)");
    }

    /// <summary>Releases the port (closes the lock file; the empty file stays).</summary>
    public void Dispose() => _lock.Dispose();

    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture);

    /// <summary>The first port the kernel may choose by itself; ports below it are only ever bound on purpose.</summary>
    private static int EphemeralLow()
    {
        try
        {
            var low = int.Parse(
                File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0],
                CultureInfo.InvariantCulture);
            if (low > Lowest + 1000)
            {
                return low;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }

        LabRequirement.Missing(
            $"the kernel's ephemeral port range (net.ipv4.ip_local_port_range) must start above {Lowest + 1000}, so that ports from {Lowest} up are only bound on purpose (the default starts at 32768)");
        return 0;
    }

    /// <summary>The port's lock file, opened exclusively (flock); null while another fixture holds it.</summary>
    private static FileStream? TryLock(int port)
    {
        try
        {
            return new FileStream(Path.Combine(LockDirectory, $"{port}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsFree(int port)
    {
        var probe = new TcpListener(IPAddress.Loopback, port);
        try
        {
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            probe.Stop();
        }
    }
}
