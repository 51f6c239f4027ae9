using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// Files over the device's ControlMaster connection, using only a POSIX shell on the device (<c>cat</c>, <c>mv</c>,
/// <c>tar</c>), so it also works with dropbear and busybox boards that have neither sftp-server nor scp.
/// A put writes <c>&lt;target&gt;.devicetest-tmp-XXXX</c>, checks its size and renames it into place, so an
/// interrupted transfer never leaves a partial file under the target name.
/// </summary>
public sealed class SshFileTransfer : IFileTransfer, IBatchFileTransfer, IBatchCheckAndPut
{
    private readonly SshArguments _arguments;
    private readonly SshMaster _master;
    private readonly SshBatchTransfer _batch;

    internal SshFileTransfer(SshArguments arguments, SshMaster master)
    {
        _arguments = arguments;
        _master = master;
        _batch = new SshBatchTransfer(arguments, master, Check);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, RemoteFileState>> StatAsync(IReadOnlyCollection<string> remotePaths, CancellationToken cancellationToken) =>
        _batch.StatAsync(remotePaths, cancellationToken);

    /// <inheritdoc/>
    public Task PutManyAsync(IReadOnlyList<FileUpload> files, Action<FileUpload>? sent, CancellationToken cancellationToken) =>
        _batch.PutManyAsync(files, sent, cancellationToken);

    /// <inheritdoc/>
    public Task<string?> CheckAndPutAsync(
        IReadOnlyCollection<string> remotePaths,
        Func<IReadOnlyDictionary<string, RemoteFileState>, CancellationToken, Task<BatchPutRequest>> decide,
        Action<FileUpload>? sent,
        CancellationToken cancellationToken) =>
        _batch.CheckAndPutAsync(remotePaths, decide, sent, cancellationToken);

    public async Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        CheckRemotePath(remotePath);
        var size = new FileInfo(localPath).Length;
        var target = ShellQuoting.Quote(remotePath);
        var directory = ShellQuoting.Quote(RemoteDirectory(remotePath));
        var temp = ShellQuoting.Quote(remotePath + ".devicetest-tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var chmod = mode is { } m ? $"chmod {Convert.ToString(m, 8)} \"$t\" && " : string.Empty;
        var script = string.Create(
            CultureInfo.InvariantCulture,
            $"t={temp}; mkdir -p -- {directory} && cat > \"$t\" && s=$(wc -c < \"$t\") && " +
            $"{{ [ $s -eq {size} ] || {{ echo \"received $s bytes of a file that had {size} when the put started: it changed while it was sent\" >&2; false; }}; }} && " +
            $"{chmod}mv -f -- \"$t\" {target} || {{ r=$?; rm -f -- \"$t\"; exit $r; }}");

        await _master.EnsureAsync(cancellationToken);
        await using var input = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var result = await SshProcess.RunAsync("ssh", _arguments.Command(script), timeout: null, cancellationToken, stdin: input);
        Check(result, $"cannot put {localPath} to {remotePath}");
    }

    public async Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        CheckRemotePath(remotePath);
        var full = Path.GetFullPath(localPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".devicetest-tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        await _master.EnsureAsync(cancellationToken);
        try
        {
            SshProcessResult result;
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                result = await SshProcess.RunAsync(
                    "ssh", _arguments.Command("exec cat -- " + ShellQuoting.Quote(remotePath)), timeout: null, cancellationToken, stdout: output);
            }

            if (result.ExitCode != 0 && result.Stderr.Contains("No such file", StringComparison.Ordinal))
            {
                throw new FileNotFoundException(
                    $"device '{_arguments.DeviceName}' has no file {remotePath}: {SshErrors.MainLine(result.Stderr)}", remotePath);
            }

            Check(result, $"cannot get {remotePath} to {localPath}");
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(localDirectory);
        CheckRemotePath(remoteDirectory);
        Directory.CreateDirectory(localDirectory);
        var quoted = ShellQuoting.Quote(remoteDirectory);
        var script = $"if [ -d {quoted} ]; then cd -- {quoted} && exec tar cf - .; fi";
        var temp = Path.Combine(Path.GetTempPath(), "devicetest-get-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".tar");
        await _master.EnsureAsync(cancellationToken);
        try
        {
            SshProcessResult result;
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
            {
                result = await SshProcess.RunAsync("ssh", _arguments.Command(script), timeout: null, cancellationToken, stdout: output);
            }

            Check(result, $"cannot get the directory {remoteDirectory}");
            if (new FileInfo(temp).Length > 0)
            {
                await TarFile.ExtractToDirectoryAsync(temp, localDirectory, overwriteFiles: true, cancellationToken);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static string RemoteDirectory(string remotePath)
    {
        var slash = remotePath.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? "/" : remotePath[..slash];
    }

    private static void CheckRemotePath(string remotePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(remotePath);
        if (!remotePath.StartsWith('/'))
        {
            throw new ArgumentException($"remote paths must be absolute POSIX paths, not '{remotePath}'.", nameof(remotePath));
        }
    }

    private void Check(SshProcessResult result, string what)
    {
        if (result.ExitCode == 0)
        {
            return;
        }

        if (result.ExitCode == 255)
        {
            _master.MarkSuspect();
            throw new DeviceLostException(
                $"device lost: '{_arguments.DeviceName}' ({SshErrors.Describe(_arguments)}): {what}: {SshErrors.MainLine(result.Stderr)}");
        }

        throw new IOException($"device '{_arguments.DeviceName}': {what}: {SshErrors.MainLine(result.Stderr)} (exit code {result.ExitCode})");
    }
}
