using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DeviceTest.Hardware.Consoles.Shell;

/// <summary>
/// Files over a console shell, with tools busybox has: <c>base64</c>, <c>sha256sum</c>, <c>dd</c>, <c>tar</c>.
/// Put sends base64 lines in here-documents (48 KiB of file per command) appended to a temporary file, checks its
/// SHA-256 against the local file, sets the mode and renames it into place. Get reads the file in base64 pieces
/// (<c>dd ... | base64</c>) and checks the SHA-256; a directory is packed with <c>tar</c> on the device first.
/// </summary>
public sealed class ConsoleFileTransfer : IFileTransfer
{
    private const int PutChunk = 48 * 1024;
    private const int GetChunk = 192 * 1024;
    private readonly ConsoleShell _shell;

    public ConsoleFileTransfer(ConsoleShell shell)
    {
        ArgumentNullException.ThrowIfNull(shell);
        _shell = shell;
    }

    /// <summary>How long one step (one chunk, the checksum) may take.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public async Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        CheckRemote(remotePath);
        if (!File.Exists(localPath))
        {
            throw new FileNotFoundException($"cannot copy {localPath} to {_shell.DeviceName}: the file does not exist", localPath);
        }

        var temporary = remotePath + ".devicetest-" + ConsoleShell.NewId();
        var quotedTemporary = ShellQuoting.Quote(temporary);
        var directory = RemoteDirectory(remotePath);
        await RunCheckedAsync($"mkdir -p {ShellQuoting.Quote(directory)} && : > {quotedTemporary}",
            $"create {temporary}", cancellationToken).ConfigureAwait(false);
        try
        {
            string localHash;
            await using (var file = File.OpenRead(localPath))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[PutChunk];
                int read;
                while ((read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    var script = new StringBuilder();
                    script.Append("base64 -d >> ").Append(quotedTemporary).Append(" <<'DEVICETEST_EOF'\n");
                    var encoded = Convert.ToBase64String(buffer, 0, read);
                    for (var i = 0; i < encoded.Length; i += 76)
                    {
                        script.Append(encoded.AsSpan(i, Math.Min(76, encoded.Length - i))).Append('\n');
                    }

                    script.Append("DEVICETEST_EOF");
                    await RunCheckedAsync(script.ToString(), $"write {temporary}", cancellationToken).ConfigureAwait(false);
                }

                localHash = Convert.ToHexStringLower(sha.GetHashAndReset());
            }

            var remoteHash = await RemoteHashAsync(temporary, cancellationToken).ConfigureAwait(false);
            if (remoteHash != localHash)
            {
                throw new IOException(
                    $"copying {localPath} to {_shell.DeviceName}:{remotePath} failed: SHA-256 on the device is {remoteHash}, expected {localHash} (the console dropped or changed bytes)");
            }

            if (mode is { } bits)
            {
                await RunCheckedAsync($"chmod {Convert.ToString(bits, 8)} {quotedTemporary}", $"chmod {remotePath}", cancellationToken).ConfigureAwait(false);
            }

            await RunCheckedAsync($"mv -f {quotedTemporary} {ShellQuoting.Quote(remotePath)}", $"move into {remotePath}", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await TryRemoveAsync(temporary).ConfigureAwait(false);
            throw;
        }
    }

    public async Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken)
    {
        CheckRemote(remotePath);
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        var quoted = ShellQuoting.Quote(remotePath);
        var size = await _shell.RunAsync(new CommandRequest(CommandLine.FromShell($"test -f {quoted} && wc -c < {quoted}")) { Timeout = StepTimeout }, cancellationToken)
            .ConfigureAwait(false);
        if (size.TimedOut)
        {
            throw new IOException($"copying {_shell.DeviceName}:{remotePath}: the device did not answer within {StepTimeout.TotalSeconds:0} s");
        }

        if (size.ExitCode != 0 || !long.TryParse(size.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new FileNotFoundException($"{remotePath} does not exist on {_shell.DeviceName} (or is not a regular file)", remotePath);
        }

        var remoteHash = await RemoteHashAsync(remotePath, cancellationToken).ConfigureAwait(false);
        var localDirectory = Path.GetDirectoryName(Path.GetFullPath(localPath));
        if (!string.IsNullOrEmpty(localDirectory))
        {
            Directory.CreateDirectory(localDirectory);
        }

        var temporary = localPath + ".devicetest-part";
        try
        {
            string localHash;
            await using (var file = File.Create(temporary))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var chunks = (length + GetChunk - 1) / GetChunk;
                for (var i = 0L; i < chunks; i++)
                {
                    var text = await RunCheckedAsync(
                        string.Create(CultureInfo.InvariantCulture, $"dd if={quoted} bs={GetChunk} skip={i} count=1 2>/dev/null | base64"),
                        $"read {remotePath}", cancellationToken).ConfigureAwait(false);
                    byte[] bytes;
                    try
                    {
                        bytes = Convert.FromBase64String(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));
                    }
                    catch (FormatException e)
                    {
                        throw new IOException($"copying {_shell.DeviceName}:{remotePath} failed: the console garbled the base64 text", e);
                    }

                    sha.AppendData(bytes);
                    await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                }

                localHash = Convert.ToHexStringLower(sha.GetHashAndReset());
            }

            if (localHash != remoteHash)
            {
                throw new IOException(
                    $"copying {_shell.DeviceName}:{remotePath} failed: SHA-256 of the copy is {localHash}, the device says {remoteHash} (the console dropped or changed bytes)");
            }

            File.Move(temporary, localPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        CheckRemote(remoteDirectory);
        ArgumentException.ThrowIfNullOrEmpty(localDirectory);
        var exists = await _shell.RunAsync(new CommandRequest(CommandLine.FromShell($"test -d {ShellQuoting.Quote(remoteDirectory)}")) { Timeout = StepTimeout }, cancellationToken)
            .ConfigureAwait(false);
        if (exists.ExitCode != 0)
        {
            return;
        }

        var archive = "/tmp/devicetest-" + ConsoleShell.NewId() + ".tar";
        var localArchive = Path.Combine(Path.GetTempPath(), "devicetest-" + ConsoleShell.NewId() + ".tar");
        try
        {
            await RunCheckedAsync($"tar cf {archive} -C {ShellQuoting.Quote(remoteDirectory)} .", $"pack {remoteDirectory}", cancellationToken).ConfigureAwait(false);
            await GetAsync(archive, localArchive, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(localDirectory);
            await TarFile.ExtractToDirectoryAsync(localArchive, localDirectory, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(localArchive);
            await TryRemoveAsync(archive).ConfigureAwait(false);
        }
    }

    private static void CheckRemote(string remotePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(remotePath);
        if (!remotePath.StartsWith('/'))
        {
            throw new ArgumentException($"remote path '{remotePath}' must be absolute (start with /)", nameof(remotePath));
        }
    }

    private static string RemoteDirectory(string remotePath)
    {
        var slash = remotePath.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? "/" : remotePath[..slash];
    }

    private async Task<string> RemoteHashAsync(string remotePath, CancellationToken cancellationToken)
    {
        var output = await RunCheckedAsync($"sha256sum {ShellQuoting.Quote(remotePath)}", $"checksum {remotePath}", cancellationToken).ConfigureAwait(false);
        var hash = output.Trim().Split(' ', 2)[0].ToLowerInvariant();
        if (hash.Length != 64)
        {
            throw new IOException($"checksum of {_shell.DeviceName}:{remotePath}: unexpected sha256sum output {output.Trim()}");
        }

        return hash;
    }

    private async Task<string> RunCheckedAsync(string script, string what, CancellationToken cancellationToken)
    {
        var result = await _shell.RunAsync(new CommandRequest(CommandLine.FromShell(script)) { Timeout = StepTimeout }, cancellationToken)
            .ConfigureAwait(false);
        if (result.TimedOut)
        {
            throw new IOException($"file transfer on {_shell.DeviceName}: {what} took longer than {StepTimeout.TotalSeconds:0} s");
        }

        if (result.ExitCode != 0)
        {
            var output = result.Stdout.Trim();
            if (output.Length > 500)
            {
                output = output[..500] + "...";
            }

            throw new IOException($"file transfer on {_shell.DeviceName}: cannot {what} (exit code {result.ExitCode}): {output}");
        }

        return result.Stdout;
    }

    private async Task TryRemoveAsync(string remotePath)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _shell.RunAsync(new CommandRequest(CommandLine.FromShell($"rm -f {ShellQuoting.Quote(remotePath)}")) { Timeout = TimeSpan.FromSeconds(20) }, timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeviceLostException or DeviceUnreachableException or OperationCanceledException or IOException)
        {
            // Best effort: the original error matters more.
        }
    }
}
