namespace DeviceTest.Hardware;

/// <summary>What <see cref="IBatchFileTransfer.StatAsync"/> found at a path on the device.</summary>
/// <param name="Size">Length in bytes.</param>
/// <param name="ModifiedUnixSeconds">Modification time, seconds since the Unix epoch.</param>
/// <param name="Mode">Permission bits (e.g. 0o644).</param>
public sealed record RemoteFileState(long Size, long ModifiedUnixSeconds, int Mode);
