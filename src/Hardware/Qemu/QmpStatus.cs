namespace DeviceTest.Hardware.Qemu;

/// <summary>The answer to QMP <c>query-status</c>.</summary>
/// <param name="Status">QEMU's run state, e.g. <c>running</c>, <c>paused</c>, <c>prelaunch</c>, <c>shutdown</c>.</param>
/// <param name="Running">True when the guest's CPUs run.</param>
public sealed record QmpStatus(string Status, bool Running);
