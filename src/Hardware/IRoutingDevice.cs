namespace DeviceTest.Hardware;

/// <summary>
/// Optional capability of an <see cref="IDevice"/> made of devices that do not share files, one of which takes each
/// test: the agent's device is this machine, or the host OS over SSH for <c>on_host</c> tests. A test runs on
/// <see cref="Current"/> as it would on that device alone (in one round trip where it implements
/// <see cref="IWorkDirectoryCommands"/>, else in four steps), and each device's work directories stay with it: made
/// ahead, batched for removal and removed at the end of a run on the device that made them, never through another.
/// Check with <c>device is IRoutingDevice</c>.
/// </summary>
public interface IRoutingDevice
{
    /// <summary>The device the next test's commands and files go to.</summary>
    IDevice Current { get; }
}
