namespace DeviceTest.Hardware.Deployment;

/// <summary>What a deploy left at a target path: content hash, and the size, time and mode the device reported.</summary>
internal sealed record DeployRecord(string Sha256, long Size, long ModifiedUnixSeconds, int Mode);
