namespace DeviceTest.Hardware;

/// <summary>
/// Optional batch operations of an <see cref="IFileTransfer"/>: many files in one round trip. Deploying thousands of
/// files with one <see cref="IFileTransfer.PutAsync"/> each costs a round trip (and on SSH a channel) per file; these
/// move them in one stream. Check with <c>device.Files is IBatchFileTransfer</c>.
/// </summary>
public interface IBatchFileTransfer
{
    /// <summary>
    /// Size, modification time and permission bits of each of <paramref name="remotePaths"/> (absolute POSIX paths), in
    /// one round trip. A path that does not exist (or is not a regular file) is missing from the result.
    /// </summary>
    Task<IReadOnlyDictionary<string, RemoteFileState>> StatAsync(IReadOnlyCollection<string> remotePaths, CancellationToken cancellationToken);

    /// <summary>
    /// Copies <paramref name="files"/> to the device in one stream, creating parent directories. Every file is written
    /// under a temporary name first and renamed into place only after all of them arrived, so a failed or cancelled
    /// transfer leaves no partial file under any target name (and removes its temporary files). Each copy gets the
    /// upload's mode and modification time (to the second).
    /// </summary>
    /// <param name="files">The files; target paths must be distinct absolute POSIX paths.</param>
    /// <param name="sent">Called (from the transfer's thread) after each file's data went out.</param>
    /// <param name="cancellationToken">Stops the transfer.</param>
    Task PutManyAsync(IReadOnlyList<FileUpload> files, Action<FileUpload>? sent, CancellationToken cancellationToken);
}
