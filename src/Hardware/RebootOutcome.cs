namespace DeviceTest.Hardware;

/// <summary>What happened when a device was asked to reboot.</summary>
public sealed class RebootOutcome
{
    public required bool Rebooted { get; init; }

    /// <summary>Human-readable account (e.g. "went down after 0.4 s, shell ready after 6.1 s", or why it was skipped).</summary>
    public required string Details { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>True when the reboot was deliberately not done (e.g. the local device, which is this machine).</summary>
    public bool Skipped { get; init; }
}
