namespace DeviceTest.Hardware;

/// <summary>One file for <see cref="IBatchFileTransfer.PutManyAsync"/>.</summary>
/// <param name="LocalPath">The file on this machine.</param>
/// <param name="RemotePath">Where it goes: an absolute POSIX path on the device.</param>
/// <param name="Mode">Permission bits (e.g. 0o755); null: those of the local file.</param>
/// <param name="LastWriteTimeUtc">The modification time to give the device's copy; null: the local file's.</param>
public sealed record FileUpload(string LocalPath, string RemotePath, int? Mode = null, DateTime? LastWriteTimeUtc = null);
