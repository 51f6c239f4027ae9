using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>ssh</c> section of a device.</summary>
public sealed class SshConfig
{
    private static readonly string[] Keys = ["host", "port", "user", "identity", "options", "connect_timeout"];
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    public required string Host { get; init; }

    /// <summary>Null: whatever the user's ssh_config says (22 by default).</summary>
    public int? Port { get; init; }

    /// <summary>Null: whatever the user's ssh_config says.</summary>
    public string? User { get; init; }

    /// <summary>Private key file (<c>~</c> expanded), or null.</summary>
    public string? Identity { get; init; }

    /// <summary>Extra <c>-o Key=Value</c> options, e.g. StrictHostKeyChecking.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>How long connecting may take before the device counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>Reads <c>ssh: { host, port, user, identity, options, connect_timeout }</c>; null after an error.</summary>
    internal static SshConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var host = map.Text("host", required: true);
        var port = map.Number("port", 1, 65535);
        var user = map.Text("user");
        var identity = map.Text("identity");
        var options = map.StringMap("options");
        var connectTimeout = map.Duration("connect_timeout");
        if (host is null)
        {
            return null;
        }

        return new SshConfig
        {
            Host = host,
            Port = port,
            User = user,
            Identity = identity is null ? null : ExpandHome(identity),
            Options = options ?? new Dictionary<string, string>(),
            ConnectTimeout = connectTimeout ?? DefaultConnectTimeout,
        };
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
