using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// <see cref="IBatchFileTransfer"/> over one SSH channel. A put streams one tar archive: first a small commit script,
/// then every file under <c>&lt;target dir&gt;/.devicetest-stage-ID/</c>. The device extracts it with <c>tar</c>; only
/// when the whole archive arrived does the script set modes and <c>mv</c> the staged files into place (one
/// <c>mv</c> per directory, a rename(2) per file), else it removes the stage directories. Needs <c>tar</c>, <c>mv</c>,
/// <c>chmod</c>, <c>stat</c> and <c>xargs</c> on the device (coreutils or busybox).
/// </summary>
internal sealed class SshBatchTransfer
{
    private readonly SshArguments _arguments;
    private readonly SshMaster _master;
    private readonly Action<SshProcessResult, string> _check;

    /// <summary>Directories the last <see cref="StatAsync"/> looked at, those that existed, and when (a hint for the
    /// next put: if stale, tar still creates what is missing, and the commit refuses to replace what appeared).</summary>
    private (HashSet<string> Checked, HashSet<string> Existing, DateTime At)? _directories;

    public SshBatchTransfer(SshArguments arguments, SshMaster master, Action<SshProcessResult, string> check)
    {
        _arguments = arguments;
        _master = master;
        _check = check;
    }

    public async Task<IReadOnlyDictionary<string, RemoteFileState>> StatAsync(IReadOnlyCollection<string> remotePaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remotePaths);
        var found = new Dictionary<string, RemoteFileState>(StringComparer.Ordinal);
        if (remotePaths.Count == 0)
        {
            return found;
        }

        foreach (var path in remotePaths)
        {
            CheckPath(path);
        }

        // The target directories and their ancestors ride along, so that a following put knows which exist.
        var directories = SshBatchPlan.DirectoriesToCheck(remotePaths.Select(p => new FileUpload(string.Empty, p)));
        var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\0', remotePaths.Concat(directories)) + "\0"));
        const string Script = "command -v stat >/dev/null 2>&1 || { echo 'stat: not found' >&2; exit 127; }; " +
            "xargs -0 stat -c '%F|%s|%Y|%a|%n' -- 2>/dev/null; exit 0";
        await _master.EnsureAsync(cancellationToken);
        var result = await SshProcess.RunAsync("ssh", _arguments.Command(Script), timeout: null, cancellationToken, stdin: input);
        _check(result, "cannot check the files on the device");
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('|', 5);
            if (parts.Length == 5 && parts[0] == "directory")
            {
                existing.Add(parts[4]);
            }
            else if (parts.Length == 5 && parts[0] is "regular file" or "regular empty file")
            {
                if (long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) &&
                    long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var modified) &&
                    TryParseOctal(parts[3], out var mode))
                {
                    found[parts[4]] = new RemoteFileState(size, modified, mode);
                }
            }
        }

        _directories = (directories.ToHashSet(StringComparer.Ordinal), existing, DateTime.UtcNow);
        return found;
    }

    public async Task PutManyAsync(IReadOnlyList<FileUpload> files, Action<FileUpload>? sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var scriptPath = "/tmp/.devicetest-batch-" + id + ".sh";
        foreach (var file in files)
        {
            CheckPath(file.RemotePath);
        }

        // With many directories, one round trip to learn which exist lets new trees be renamed into place whole.
        var directories = SshBatchPlan.DirectoriesToCheck(files);
        IReadOnlySet<string>? existing = null;
        if (_directories is var (checkedDirectories, known, at) && DateTime.UtcNow - at < TimeSpan.FromMinutes(1) && directories.All(checkedDirectories.Contains))
        {
            existing = known;
        }
        else if (directories.Count > 8)
        {
            existing = await ExistingDirectoriesAsync(directories, cancellationToken);
        }

        var plan = SshBatchPlan.Create(files, Mode, id, existing);
        var quotedScript = ShellQuoting.Quote(scriptPath);
        var command =
            $"cd / && tar -xf - ; r=$?; if [ $r -eq 0 ]; then sh {quotedScript} commit; r=$?; " +
            $"else [ -f {quotedScript} ] && sh {quotedScript} abort; fi; rm -f -- {quotedScript}; exit $r";

        // The bulk stream gets a connection of its own: through the ControlMaster every byte would pass one more
        // process (the mux client, then the master), which costs a third of the throughput on small machines.
        await _master.EnsureAsync(cancellationToken);
        using var process = SshProcess.Start("ssh", _arguments.Command(command, useMaster: false));
        var stderrTask = ReadAllAsync(process.StandardError.BaseStream);
        var stdoutTask = ReadAllAsync(process.StandardOutput.BaseStream);
        using var kill = cancellationToken.Register(() => SshProcess.Kill(process));
        var writeFailed = false;
        try
        {
            var stdin = process.StandardInput.BaseStream;
            await using (var writer = new TarWriter(stdin, TarEntryFormat.Gnu, leaveOpen: true))
            {
                var scriptEntry = new GnuTarEntry(TarEntryType.RegularFile, scriptPath.TrimStart('/'))
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(plan.Script)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                    ModificationTime = DateTimeOffset.UtcNow,
                };
                await writer.WriteEntryAsync(scriptEntry, cancellationToken);
                foreach (var (file, staged) in plan.Entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var stream = new FileStream(file.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                    await using (stream.ConfigureAwait(false))
                    {
                        var entry = new GnuTarEntry(TarEntryType.RegularFile, staged.TrimStart('/'))
                        {
                            DataStream = stream,
                            Mode = (UnixFileMode)Mode(file),
                            ModificationTime = file.LastWriteTimeUtc ?? File.GetLastWriteTimeUtc(file.LocalPath),
                            Uid = 0,
                            Gid = 0,
                        };
                        await writer.WriteEntryAsync(entry, cancellationToken);
                    }

                    sent?.Invoke(file);
                }
            }

            await stdin.FlushAsync(cancellationToken);
        }
        catch (IOException)
        {
            // The remote side went away (tar failed, e.g. disk full): its exit code and stderr tell why.
            writeFailed = true;
        }
        finally
        {
            try
            {
                await process.StandardInput.BaseStream.DisposeAsync();
            }
            catch (IOException)
            {
                writeFailed = true;
            }
        }

        await process.WaitForExitAsync(CancellationToken.None);
        var stderr = await stderrTask;
        await stdoutTask;
        cancellationToken.ThrowIfCancellationRequested();
        var result = new SshProcessResult(process.ExitCode, string.Empty, UsefulErrors(stderr), false);
        if (result.ExitCode == 0 && writeFailed)
        {
            result = new SshProcessResult(1, string.Empty, "the device closed the stream early", false);
        }

        _check(result, string.Create(CultureInfo.InvariantCulture, $"cannot put {files.Count} files"));
    }

    private async Task<IReadOnlySet<string>> ExistingDirectoriesAsync(IReadOnlyCollection<string> directories, CancellationToken cancellationToken)
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\0', directories) + "\0"));
        const string Script = "xargs -0 sh -c 'for d; do [ -d \"$d\" ] && printf \"%s\\n\" \"$d\"; done; true' sh";
        await _master.EnsureAsync(cancellationToken);
        var result = await SshProcess.RunAsync("ssh", _arguments.Command(Script), timeout: null, cancellationToken, stdin: input);
        _check(result, "cannot check the target directories on the device");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    private static int Mode(FileUpload file) =>
        (file.Mode ?? (OperatingSystem.IsWindows() ? 0x1A4 /* 0644 */ : (int)File.GetUnixFileMode(file.LocalPath))) & 0xFFF;

    private static bool TryParseOctal(string text, out int value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        return true;
    }

    private static string CheckPath(string remotePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(remotePath);
        if (!remotePath.StartsWith('/') || remotePath.EndsWith('/') || remotePath.Contains('\n', StringComparison.Ordinal) || remotePath.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"remote paths must be absolute POSIX file paths without newlines, not '{remotePath}'.", nameof(remotePath));
        }

        return remotePath;
    }

    /// <summary>tar's closing lines ("Exiting with failure status") hide the line that says why: drop them.</summary>
    private static string UsefulErrors(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l =>
            !l.Contains("Exiting with failure status", StringComparison.Ordinal) &&
            !l.Contains("Error is not recoverable", StringComparison.Ordinal)));

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        return text.Length > 64 * 1024 ? text[..(64 * 1024)] : text;
    }
}
