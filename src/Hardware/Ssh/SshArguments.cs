using System.Globalization;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// Builds OpenSSH client command lines for one device: the user's options, batch mode, timeouts, keep-alives and
/// the device's private control socket. Every ssh and scp DeviceTest runs for the device goes through here.
/// </summary>
internal sealed class SshArguments
{
    private readonly SshConfig _config;

    public SshArguments(string deviceName, SshConfig config, string baseDirectory, string controlPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        DeviceName = deviceName;
        _config = config;
        ControlPath = controlPath;
        Identity = config.Identity is null ? null : Path.GetFullPath(ExpandHome(config.Identity), baseDirectory);
    }

    public string DeviceName { get; }

    public string ControlPath { get; }

    public string? Identity { get; }

    public SshConfig Config => _config;

    /// <summary>Set when ssh_config leaves StrictHostKeyChecking at "ask", which cannot work in batch mode.</summary>
    public bool AcceptNewHostKeys { get; set; } = true;

    /// <summary>The cipher list the master offers (null: ssh's own choice); see <see cref="SshCipherPreference"/>.</summary>
    public string? Ciphers { get; set; }

    /// <summary>user@host:port as ssh resolves it (from <c>ssh -G</c>), or <see cref="Target"/> before that.</summary>
    public string EffectiveTarget { get; set; } = string.Empty;

    /// <summary>Arguments that print ssh's effective configuration for the device (<c>ssh -G</c>).</summary>
    public List<string> Resolve()
    {
        var saved = AcceptNewHostKeys;
        AcceptNewHostKeys = false;
        var arguments = Common(useMaster: false);
        AcceptNewHostKeys = saved;
        arguments.AddRange(["-G", "--", _config.Host]);
        return arguments;
    }

    public int ConnectTimeoutSeconds => Math.Max(1, (int)Math.Ceiling(_config.ConnectTimeout.TotalSeconds));

    /// <summary>"root@192.0.2.10:22" for messages (what the config says; ssh_config may add to it).</summary>
    public string Target =>
        (_config.User is null ? string.Empty : _config.User + "@") + _config.Host + ":" + (_config.Port?.ToString(CultureInfo.InvariantCulture) ?? "22");

    /// <summary>Options common to every ssh invocation (before the host). OpenSSH keeps the first value it
    /// reads for an option, so DeviceTest's control socket comes first, then the user's options, then defaults.</summary>
    public List<string> Common(bool useMaster) =>
        Build(useMaster ? ["ControlMaster=no", "ControlPath=" + ControlPath] : ["ControlMaster=no", "ControlPath=none"]);

    /// <summary>Arguments that start the master connection in the background (<c>-f -N</c>).</summary>
    public List<string> Master()
    {
        List<string> first = ["ControlMaster=yes", "ControlPath=" + ControlPath, "ControlPersist=60"];
        if (Ciphers is not null)
        {
            first.Add("Ciphers=" + Ciphers);
        }

        var arguments = Build(first);
        arguments.AddRange(["-f", "-N", "-T", "--", _config.Host]);
        return arguments;
    }

    /// <summary>
    /// Arguments that run <paramref name="remoteCommand"/> on a new channel of the master. <c>--</c> comes before the
    /// host, so a host that starts with '-' is never taken for an option; after a <c>--</c> ssh reads no options after
    /// the host either, so the command is never taken for one.
    /// </summary>
    public List<string> Command(string remoteCommand, bool useMaster = true)
    {
        var arguments = Common(useMaster);
        arguments.AddRange(["-T", "--", _config.Host, remoteCommand]);
        return arguments;
    }

    private List<string> Build(IEnumerable<string> first)
    {
        var arguments = new List<string>();
        foreach (var option in first)
        {
            arguments.AddRange(["-o", option]);
        }

        foreach (var (key, value) in _config.Options)
        {
            arguments.AddRange(["-o", key + "=" + value]);
        }

        arguments.AddRange(
        [
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=" + ConnectTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            "-o", "ServerAliveInterval=5",
            "-o", "ServerAliveCountMax=3",
            "-o", "LogLevel=ERROR",
        ]);
        if (AcceptNewHostKeys && !HasOption("StrictHostKeyChecking"))
        {
            // "ask" (OpenSSH's default) can never succeed in batch mode: trust a host the first time, refuse a changed key.
            arguments.AddRange(["-o", "StrictHostKeyChecking=accept-new"]);
        }

        if (Identity is not null)
        {
            arguments.AddRange(["-i", Identity, "-o", "IdentitiesOnly=yes"]);
        }

        arguments.AddRange(PortAndUser());
        return arguments;
    }

    /// <summary>Arguments for a control request to the master (<c>-O check</c>, <c>-O exit</c>).</summary>
    public List<string> Control(string request) =>
        ["-o", "ControlPath=" + ControlPath, "-O", request, .. PortAndUser(), "--", _config.Host];

    private bool HasOption(string name) =>
        _config.Options.Keys.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    private List<string> PortAndUser()
    {
        var arguments = new List<string>();
        if (_config.Port is { } port)
        {
            arguments.AddRange(["-p", port.ToString(CultureInfo.InvariantCulture)]);
        }

        if (_config.User is { } user)
        {
            arguments.AddRange(["-l", user]);
        }

        return arguments;
    }

    private static string ExpandHome(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home + path[1..];
        }

        return path;
    }
}
