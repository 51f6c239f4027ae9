namespace DeviceTest.Hardware.Flashing;

/// <summary>Where a flash is: a step starting (<see cref="Message"/>), or bytes written so far while writing or verifying.</summary>
public sealed record FlashProgress
{
    public required FlashStage Stage { get; init; }

    /// <summary>What happens, for a log line ("switching the mux to the host: usbsdmux /dev/sg1 host").</summary>
    public string? Message { get; init; }

    /// <summary>Bytes written (or read back) so far in this stage.</summary>
    public long Bytes { get; init; }

    /// <summary>How many bytes the stage has to write or read back, when known.</summary>
    public long? TotalBytes { get; init; }

    /// <summary>Average speed of the stage so far, bytes per second.</summary>
    public double BytesPerSecond { get; init; }

    /// <summary>True on the last byte count of the stage (the stage's bytes are all written or read back).</summary>
    public bool Done { get; init; }

    /// <summary>Estimated time left in the stage, when the total is known.</summary>
    public TimeSpan? TimeLeft { get; init; }
}
