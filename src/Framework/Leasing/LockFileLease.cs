namespace DeviceTest.Framework.Leasing;

/// <summary>
/// Exclusive use of one device by this process: an OS file lock (flock on Linux, a share lock on Windows) held until
/// disposed. The OS drops it when the process dies, so a crashed run never blocks the device. It cannot be lost
/// while the process lives.
/// </summary>
public sealed class LockFileLease : IDeviceLease, IDisposable
{
    private readonly FileStream _lock;
    private readonly string _ownerPath;
    private bool _disposed;

    internal LockFileLease(string deviceName, FileStream lockStream, string ownerPath)
    {
        DeviceName = deviceName;
        _lock = lockStream;
        _ownerPath = ownerPath;
    }

    public string DeviceName { get; }

    public CancellationToken Lost => CancellationToken.None;

    public string? LostReason => null;

    public void ThrowIfLost()
    {
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

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
