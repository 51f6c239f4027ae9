namespace DeviceTest.TestAdapter.Leasing;

/// <summary>
/// Exclusive use of one device by this process: an OS file lock (flock on Linux, a share lock on Windows) held until
/// disposed. The OS drops it when the process dies, so a crashed run never blocks the device.
/// </summary>
internal sealed class DeviceLease : IDisposable
{
    private readonly FileStream _lock;
    private readonly string _ownerPath;
    private bool _disposed;

    internal DeviceLease(string deviceName, FileStream lockStream, string ownerPath)
    {
        DeviceName = deviceName;
        _lock = lockStream;
        _ownerPath = ownerPath;
    }

    public string DeviceName { get; }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            File.Delete(_ownerPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The owner note is only for messages; the lock below is what counts.
        }

        _lock.Dispose();
    }
}
