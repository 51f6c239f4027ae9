namespace DeviceTest.Hardware.Flashing;

/// <summary>How a flash runs.</summary>
public sealed class FlashOptions
{
    /// <summary>Read the written data back from the medium and compare hashes (default on; <c>--no-verify</c> turns it off).</summary>
    public bool Verify { get; init; } = true;

    /// <summary>How long the device may take to come up on the new image; null: its boot strategy's own bound.</summary>
    public TimeSpan? BootTimeout { get; init; }
}
