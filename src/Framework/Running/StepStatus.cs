namespace DeviceTest.Framework.Running;

/// <summary>How a step that is not a tests step ended.</summary>
public enum StepStatus
{
    Succeeded,

    /// <summary>The device does not do this (a reboot on <c>local</c>); the run goes on.</summary>
    Skipped,

    Failed,
}
