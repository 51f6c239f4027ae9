namespace DeviceTest.Hardware.Flashing;

/// <summary>What a flash did.</summary>
public sealed record FlashOutcome
{
    /// <summary>Bytes written to the medium (the mapped ranges with a block map).</summary>
    public long BytesWritten { get; init; }

    /// <summary>The image's size once decompressed.</summary>
    public long ImageSize { get; init; }

    /// <summary>Whether the written data was read back and matched.</summary>
    public bool Verified { get; init; }

    /// <summary>Whether the device was brought up on the new image (false for a flashing station).</summary>
    public bool Booted { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>One line for logs: "1.0 GiB image, 220 MiB written (block map) at 95 MiB/s, verified, booted".</summary>
    public string Summary { get; init; } = string.Empty;
}
