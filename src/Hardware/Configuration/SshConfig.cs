namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>ssh</c> section of a device.</summary>
public sealed class SshConfig
{
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
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
