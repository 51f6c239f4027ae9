namespace DeviceTest.Hardware.Deployment;

/// <summary>A local file's SHA-256 as of a size and modification time (so unchanged files are not hashed again).</summary>
internal sealed record LocalHashEntry(string Sha256, long Size, long ModifiedTicks);
