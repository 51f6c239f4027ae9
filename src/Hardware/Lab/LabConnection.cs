using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Hardware.Lab;

/// <summary>
/// One device's connection to the lab host of its <c>lab</c> section: one <see cref="SshDevice"/>, so one
/// ControlMaster (shared with the run's other processes like every SSH connection, docs/ssh.md) and one pool of
/// persistent shells, for everything the device does there: flashing (mux commands and the medium probe in the shell,
/// the image on a channel of its own over the same master) and the screen, keyboard and network commands
/// (<see cref="LabHost"/>). Made by <see cref="DeviceFactory"/>, owned by the device, which disposes it once, after
/// the parts that use it. Nothing is contacted before the first command.
/// </summary>
public sealed class LabConnection : IAsyncDisposable
{
    private readonly SshDevice _shell;

    /// <param name="deviceName">The device the lab host serves, for messages.</param>
    /// <param name="lab">Its <c>lab</c> section.</param>
    /// <param name="baseDirectory">Where relative paths of the lab's ssh section (an identity file) start.</param>
    public LabConnection(string deviceName, LabConfig lab, string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceName);
        ArgumentNullException.ThrowIfNull(lab);
        Where = "lab host " + (lab.Ssh.User is null ? string.Empty : lab.Ssh.User + "@") + lab.Ssh.Host;
        _shell = new SshDevice(new DeviceConfig { Name = deviceName + " lab host", Ssh = lab.Ssh, BaseDirectory = baseDirectory });
    }

    /// <summary>"lab host lab@labhost-1", for messages.</summary>
    public string Where { get; }

    /// <summary>The lab host's commands, files and channels.</summary>
    internal SshDevice Shell => _shell;

    /// <summary>Closes the persistent shells; the master is left to the run's other processes when it is shared, else closed.</summary>
    public ValueTask DisposeAsync() => _shell.DisposeAsync();
}
