namespace DeviceTest.Hardware;

/// <summary>Moves files to and from a device. Remote paths are absolute POSIX paths on the device.</summary>
public interface IFileTransfer
{
    /// <summary>Copies a local file to the device, creating parent directories, writing to a temporary name first
    /// and renaming it into place, and setting <paramref name="mode"/> (octal permission bits) when given.</summary>
    Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken);

    /// <summary>Copies a file from the device to a local path.</summary>
    Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken);

    /// <summary>Copies a directory tree from the device into <paramref name="localDirectory"/> (created if missing).
    /// A missing remote directory copies nothing.</summary>
    Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken);
}
