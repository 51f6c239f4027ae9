namespace DeviceTest.Hardware;

/// <summary>
/// Optional: an <see cref="IBatchFileTransfer"/> that checks the device and puts files in one round trip (one SSH
/// channel), so a deploy costs one channel instead of three (check, put, record). Same guarantees as
/// <see cref="IBatchFileTransfer.StatAsync"/> and <see cref="IBatchFileTransfer.PutManyAsync"/>.
/// </summary>
public interface IBatchCheckAndPut
{
    /// <summary>
    /// Looks at <paramref name="remotePaths"/> (as <see cref="IBatchFileTransfer.StatAsync"/>), lets
    /// <paramref name="decide"/> choose what to send from what it found, and sends that (as
    /// <see cref="IBatchFileTransfer.PutManyAsync"/>). After every file is in place, writes the request's record
    /// (a small text file, temp name then rename) on a best-effort basis.
    /// </summary>
    /// <returns>Null, or why the record could not be written (the files were still put).</returns>
    Task<string?> CheckAndPutAsync(
        IReadOnlyCollection<string> remotePaths,
        Func<IReadOnlyDictionary<string, RemoteFileState>, CancellationToken, Task<BatchPutRequest>> decide,
        Action<FileUpload>? sent,
        CancellationToken cancellationToken);
}
