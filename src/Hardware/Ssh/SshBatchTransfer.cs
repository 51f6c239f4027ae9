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
    /// <summary>Starts the check's line that says whether the device's CPU has AES instructions (asked once per device).</summary>
    private const string CpuProbePrefix = "devicetest-cpu-aes:";

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
        if (remotePaths.Count == 0)
        {
            return new Dictionary<string, RemoteFileState>(StringComparer.Ordinal);
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
        var found = ParseStat(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), out var existing);
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

        await PutAsync(null, new BatchPutRequest(files), existing, sent, cancellationToken);
    }

    /// <summary>
    /// Checks and puts over one channel: the command first stats the paths (their list rides in the command line,
    /// grouped by directory), prints a marker, then waits for one line on stdin: <c>put</c> (a tar archive follows)
    /// or anything else (nothing to do). Lists too long for a command line take a separate round trip.
    /// </summary>
    public async Task<string?> CheckAndPutAsync(
        IReadOnlyCollection<string> remotePaths,
        Func<IReadOnlyDictionary<string, RemoteFileState>, CancellationToken, Task<BatchPutRequest>> decide,
        Action<FileUpload>? sent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remotePaths);
        ArgumentNullException.ThrowIfNull(decide);
        foreach (var path in remotePaths)
        {
            CheckPath(path);
        }

        var directories = SshBatchPlan.DirectoriesToCheck(remotePaths.Select(p => new FileUpload(string.Empty, p)));
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var check = CheckCommand(remotePaths.Concat(directories).ToList(), id, _master.WantsCpuFact);
        if (check is null)
        {
            var states = await StatAsync(remotePaths, cancellationToken);
            var request = await decide(states, cancellationToken);
            return request.Files.Count == 0 && request.RecordPath is null ? null : await PutAsync(null, request, _directories?.Existing, sent, cancellationToken);
        }

        return await PutAsync(
            new Check(check.Value.Command, check.Value.Marker, directories, decide),
            null,
            null,
            sent,
            cancellationToken,
            id);
    }

    private async Task<string?> PutAsync(
        Check? check, BatchPutRequest? request, IReadOnlySet<string>? existing, Action<FileUpload>? sent, CancellationToken cancellationToken, string? id = null)
    {
        id ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var scriptPath = "/tmp/.devicetest-batch-" + id + ".sh";
        var recordStaged = "/tmp/.devicetest-batch-" + id + ".record";
        var quotedScript = ShellQuoting.Quote(scriptPath);
        var command =
            $"cd / && tar -xf - ; r=$?; if [ $r -eq 0 ]; then sh {quotedScript} commit; r=$?; " +
            $"else [ -f {quotedScript} ] && sh {quotedScript} abort; fi; rm -f -- {quotedScript}; exit $r";
        if (check is not null)
        {
            command = check.Command + "\nIFS= read -r go || exit 0\n[ \"$go\" = put ] || exit 0\n" + command;
        }

        // The bulk stream is a channel of the master: the mux client hands its stdin to the master (no extra copy),
        // and a connection of its own would cost a second key exchange and login (~0.3 s, a quarter of a 200 MB deploy).
        await _master.EnsureAsync(cancellationToken);
        using var process = SshProcess.Start("ssh", _arguments.Command(command));
        var stderrTask = ReadAllAsync(process.StandardError.BaseStream);
        using var stdout = new StreamReader(process.StandardOutput.BaseStream, Encoding.UTF8);
        using var kill = cancellationToken.Register(() => SshProcess.Kill(process));
        var writeFailed = false;
        SourceFileException? local = null;
        var put = false;
        var files = request?.Files ?? [];
        Task<string>? stdoutTask = null;
        try
        {
            var stdin = process.StandardInput.BaseStream;
            if (check is not null)
            {
                var lines = new List<string>();
                var marked = false;
                while (await stdout.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line == check.Marker)
                    {
                        marked = true;
                        break;
                    }

                    lines.Add(line);
                }

                if (!marked)
                {
                    // The check failed (no stat, connection lost): the exit code and stderr say why.
                    throw new IOException("the device ended the check early");
                }

                if (lines.LastOrDefault(l => l.StartsWith(CpuProbePrefix, StringComparison.Ordinal)) is { } cpu)
                {
                    _master.LearnCpuAes(cpu.EndsWith(" yes", StringComparison.Ordinal));
                }

                var found = ParseStat(lines, out var existingDirectories);
                _directories = (check.Directories.ToHashSet(StringComparer.Ordinal), existingDirectories, DateTime.UtcNow);
                existing = existingDirectories;
                stdoutTask = stdout.ReadToEndAsync(CancellationToken.None);
                request = await check.Decide(found, cancellationToken);
                files = request.Files;
                put = files.Count > 0 || request.RecordPath is not null;
                await stdin.WriteAsync(Encoding.ASCII.GetBytes(put ? "put\n" : "skip\n"), cancellationToken);
            }
            else
            {
                stdoutTask = stdout.ReadToEndAsync(CancellationToken.None);
                put = true;
            }

            if (put)
            {
                foreach (var file in files)
                {
                    CheckPath(file.RemotePath);
                }

                var record = request!.RecordPath is { } recordPath ? (CheckPath(recordPath), recordStaged) : ((string, string)?)null;
                var plan = SshBatchPlan.Create(files, Mode, id, existing, record);
                var recordText = request.RecordText is { } text ? _ => Task.FromResult(text) : request.RecordTextSource ?? (_ => Task.FromResult(string.Empty));
                await BatchArchive.WriteAsync(
                    stdin, (scriptPath, plan.Script), plan.Entries, Mode, record is null ? null : (recordStaged, recordText), sent, cancellationToken);
            }

            await stdin.FlushAsync(cancellationToken);
        }
        catch (SourceFileException e)
        {
            // A file here changed or cannot be read: the archive was cut so that the device aborts; say what it was.
            local = e;
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
        var output = stdoutTask is null ? await stdout.ReadToEndAsync(CancellationToken.None) : await stdoutTask;
        cancellationToken.ThrowIfCancellationRequested();
        if (local is not null)
        {
            throw new SourceFileException(
                string.Create(CultureInfo.InvariantCulture, $"device '{_arguments.DeviceName}': the put of {files.Count} files was abandoned: {local.Message}"), local);
        }

        var result = new SshProcessResult(process.ExitCode, string.Empty, UsefulErrors(stderr), false);
        if (result.ExitCode == 0 && writeFailed)
        {
            result = new SshProcessResult(1, string.Empty, "the device closed the stream early", false);
        }

        _check(result, check is not null && !put
            ? "cannot check the files on the device"
            : string.Create(CultureInfo.InvariantCulture, $"cannot put {files.Count} files"));
        return output.Split('\n').FirstOrDefault(l => l.StartsWith(SshBatchPlan.RecordFailed, StringComparison.Ordinal))?[SshBatchPlan.RecordFailed.Length..].Trim();
    }

    /// <summary>
    /// The stat part of a check-and-put command, or null when the list is too long for a command line (Linux allows
    /// 128 KiB per argument). Each path is a directory line (<c>/dir/</c>) then names; sed joins them again.
    /// </summary>
    private static (string Command, string Marker)? CheckCommand(IReadOnlyList<string> paths, string id, bool askCpu)
    {
        const int Limit = 96 * 1024;
        var end = "DEVICETEST_END_" + id;
        var marker = "devicetest-checked-" + id;
        var list = new StringBuilder();
        foreach (var group in paths.Distinct(StringComparer.Ordinal).GroupBy(p => p[..(p.LastIndexOf('/') + 1)], StringComparer.Ordinal))
        {
            list.Append(group.Key).Append('\n');
            foreach (var path in group)
            {
                list.Append(path, group.Key.Length, path.Length - group.Key.Length).Append('\n');
            }

            if (list.Length > Limit)
            {
                return null;
            }
        }

        var command =
            "command -v stat >/dev/null 2>&1 || { echo 'stat: not found' >&2; exit 127; }\n" +
            "sed -n -e '/^\\//{h;d;}' -e 'G;s/^\\(.*\\)\\n\\(.*\\)$/\\2\\1/p' <<'" + end + "' | tr '\\n' '\\000' | xargs -0 stat -c '%F|%s|%Y|%a|%n' -- 2>/dev/null\n" +
            list + end + "\n" +
            (askCpu ? SshCipherPreference.DeviceProbe(CpuProbePrefix) + "\n" : string.Empty) +
            "echo " + marker;
        return (command, marker);
    }

    private static Dictionary<string, RemoteFileState> ParseStat(IEnumerable<string> lines, out HashSet<string> existing)
    {
        var found = new Dictionary<string, RemoteFileState>(StringComparer.Ordinal);
        existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
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

        return found;
    }

    private sealed record Check(
        string Command,
        string Marker,
        IReadOnlyCollection<string> Directories,
        Func<IReadOnlyDictionary<string, RemoteFileState>, CancellationToken, Task<BatchPutRequest>> Decide);

    private async Task<IReadOnlySet<string>> ExistingDirectoriesAsync(IReadOnlyCollection<string> directories, CancellationToken cancellationToken)
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\0', directories) + "\0"));
        const string Script = "xargs -0 sh -c 'for d; do [ -d \"$d\" ] && printf \"%s\\n\" \"$d\"; done; true' sh";
        await _master.EnsureAsync(cancellationToken);
        var result = await SshProcess.RunAsync("ssh", _arguments.Command(Script), timeout: null, cancellationToken, stdin: input);
        _check(result, "cannot check the target directories on the device");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    private static int Mode(FileUpload file)
    {
        try
        {
            return (file.Mode ?? (OperatingSystem.IsWindows() ? 0x1A4 /* 0644 */ : (int)File.GetUnixFileMode(file.LocalPath))) & 0xFFF;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceFileException($"cannot read {file.LocalPath}: {e.Message}", e);
        }
    }

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
