using System.Globalization;

namespace DeviceTest.Hardware.Tests.Lab;

/// <summary>
/// The <c>ssh</c> client processes on this machine that go to one loopback port (their <c>-p</c>), read from /proc:
/// ControlMasters (<c>ControlMaster=yes</c>), persistent sessions (remote command <c>exec /bin/sh</c>) and the rest.
/// </summary>
internal sealed class SshClientProcesses
{
    private SshClientProcesses(IReadOnlyList<(int Pid, string[] Arguments)> clients)
    {
        Clients = clients;
    }

    public IReadOnlyList<(int Pid, string[] Arguments)> Clients { get; }

    public IEnumerable<int> Masters => Clients.Where(c => c.Arguments.Contains("ControlMaster=yes")).Select(c => c.Pid);

    public IEnumerable<int> Sessions => Clients.Where(c => c.Arguments[^1] == "exec /bin/sh").Select(c => c.Pid);

    /// <summary>One line per process, for assertion messages.</summary>
    public string Describe() => string.Join("\n", Clients.Select(c => c.Pid.ToString(CultureInfo.InvariantCulture) + ": " + string.Join(' ', c.Arguments)));

    public static SshClientProcesses To(int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var found = new List<(int, string[])>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var portAt = Array.IndexOf(arguments, "-p");
            if (arguments.Length > 0 && Path.GetFileName(arguments[0]) == "ssh" && portAt >= 0 && portAt + 1 < arguments.Length && arguments[portAt + 1] == portText)
            {
                found.Add((pid, arguments));
            }
        }

        return new SshClientProcesses(found);
    }
}
