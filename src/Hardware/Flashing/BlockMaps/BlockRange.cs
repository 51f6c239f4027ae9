namespace DeviceTest.Hardware.Flashing.BlockMaps;

/// <summary>One <c>&lt;Range&gt;</c> of a block map: blocks <see cref="First"/> to <see cref="Last"/> and their checksum (hex), if any.</summary>
public sealed record BlockRange(long First, long Last, string? Checksum, int Line);
