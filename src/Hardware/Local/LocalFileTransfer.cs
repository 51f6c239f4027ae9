namespace DeviceTest.Hardware.Local;

/// <summary>File transfer for the <c>local</c> device: plain copies on this machine.</summary>
public sealed class LocalFileTransfer : IFileTransfer, IBatchFileTransfer
{
    private const int BufferSize = 81920;

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, RemoteFileState>> StatAsync(IReadOnlyCollection<string> remotePaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remotePaths);
        var found = new Dictionary<string, RemoteFileState>(StringComparer.Ordinal);
        foreach (var path in remotePaths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            if (info.Exists && info.LinkTarget is null)
            {
                var mode = OperatingSystem.IsWindows() ? 0x1A4 : (int)info.UnixFileMode & 0xFFF;
                found[path] = new RemoteFileState(info.Length, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(), mode);
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, RemoteFileState>>(found);
    }

    /// <inheritdoc/>
    public async Task PutManyAsync(IReadOnlyList<FileUpload> files, Action<FileUpload>? sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            var mode = file.Mode ?? (OperatingSystem.IsWindows() ? null : (int)File.GetUnixFileMode(file.LocalPath) & 0xFFF);
            await PutAsync(file.LocalPath, file.RemotePath, mode, cancellationToken);
            File.SetLastWriteTimeUtc(file.RemotePath, file.LastWriteTimeUtc ?? File.GetLastWriteTimeUtc(file.LocalPath));
            sent?.Invoke(file);
        }
    }

    public async Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        ArgumentException.ThrowIfNullOrEmpty(remotePath);
        var target = Path.GetFullPath(remotePath);
        var directory = Path.GetDirectoryName(target) ?? throw new ArgumentException(
            $"local: '{remotePath}' names no file.", nameof(remotePath));
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await CopyFileAsync(localPath, temporary, cancellationToken);
            if (mode is { } bits && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, (UnixFileMode)(bits & 0xFFF));
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public async Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(remotePath);
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(localPath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await CopyFileAsync(remotePath, localPath, cancellationToken);
    }

    public async Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteDirectory);
        ArgumentException.ThrowIfNullOrEmpty(localDirectory);
        if (!Directory.Exists(remoteDirectory))
        {
            return;
        }

        // Iterative walk; directory symlinks are not followed (no loops), file symlinks copy their target.
        var pending = new Stack<(DirectoryInfo Source, string Target)>();
        pending.Push((new DirectoryInfo(remoteDirectory), localDirectory));
        while (pending.Count > 0)
        {
            var (source, target) = pending.Pop();
            Directory.CreateDirectory(target);
            foreach (var entry in source.EnumerateFileSystemInfos())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var destination = Path.Combine(target, entry.Name);
                if (entry is DirectoryInfo child)
                {
                    if (child.LinkTarget is null)
                    {
                        pending.Push((child, destination));
                    }
                }
                else if (File.Exists(entry.FullName))
                {
                    await CopyFileAsync(entry.FullName, destination, cancellationToken);
                }
            }
        }
    }

    private static async Task CopyFileAsync(string from, string to, CancellationToken cancellationToken)
    {
        var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BufferSize, useAsync: true);
        await using (source.ConfigureAwait(false))
        {
            var destination = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            await using (destination.ConfigureAwait(false))
            {
                await source.CopyToAsync(destination, BufferSize, cancellationToken);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
