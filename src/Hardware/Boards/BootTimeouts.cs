using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Boards;

/// <summary>How long a boot strategy waits for each thing (see docs/devices.md).</summary>
public sealed record BootTimeouts
{
    /// <summary>How long a boot may take (power-on, reset or reboot until shell ready): <c>shell.boot_timeout</c>, else 2 min.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a device that is not booting may take to answer over SSH (its <c>ssh.connect_timeout</c>): a board that
    /// is simply unreachable fails within this, not after <see cref="BootTimeout"/>.
    /// </summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Without power: how long to try to reach a lost device again before giving up.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the reboot command itself may run over SSH (it usually ends with the connection).</summary>
    public TimeSpan RebootCommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeouts a devices.yml entry asks for.</summary>
    public static BootTimeouts For(DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var defaults = new BootTimeouts();
        return new BootTimeouts
        {
            BootTimeout = config.Shell?.BootTimeout ?? defaults.BootTimeout,
            AnswerTimeout = config.Ssh?.ConnectTimeout ?? defaults.AnswerTimeout,
        };
    }
}
