using DeviceTest.Hardware;

namespace DeviceTest.Framework.Specs;

/// <summary>A <c>reboot:</c> step: run the command, wait for the device to come back.</summary>
public sealed class RebootStep : SpecStep
{
    public required CommandLine Command { get; init; }

    /// <summary>How long the device may take to come back; null: the default (5 minutes).</summary>
    public TimeSpan? Timeout { get; init; }
}
