using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// <see cref="IWorkDirectoryCommands"/> on the persistent session: a test is one framed command (removals, work
/// directory, made or pre-made, with those made ahead; the command, the check; see
/// <see cref="CommandFraming.BuildInWorkDirectory"/>), and a fetch is a second
/// one whose stdout is a tar stream of the work directory, which it then removes. No new channel is opened: the tar
/// stream is framed like any output, between markers carrying a fresh 96-bit token, which files written before the
/// fetch cannot contain.
/// </summary>
internal sealed class SshWorkDirectories(SshDevice device)
{
    private static readonly TimeSpan CleanupAfterCancel = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DescribeTimeout = TimeSpan.FromSeconds(60);

    public async Task<WorkDirectoryRun> RunAsync(WorkDirectoryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = new WorkDirectoryNames(request);
        var command = request.CommandWithoutWorkDirectory();
        CommandResult result;
        string? report;
        try
        {
            (result, report) = await device.OnSessionAsync(
                session => session.RunInWorkDirectoryAsync(command, names, request.RemoveFirst, device.SignalAsync, cancellationToken),
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RemoveAsync(names);
            throw;
        }

        if (report is null)
        {
            // The frame never ended (a command that would not die took its session along): ask a new session.
            var described = await device.RunAsync(
                new CommandRequest(CommandLine.FromShell(names.Describe())) { Timeout = DescribeTimeout }, cancellationToken);
            return WorkDirectoryNames.Described(result, described.Stdout);
        }

        if (!WorkDirectoryScript.TryParseDescription(report, out var flag, out var path))
        {
            throw new IOException($"device '{device.Name}': unexpected report after '{command.Command}': '{report}'");
        }

        var run = names.Reported(result, flag, path, result.Stderr);
        if (run.Failure is not null && names.Ahead.Count > 0)
        {
            // mkdir may have made some of the directories before it failed.
            await RemoveAsync(names);
        }

        return run;
    }

    public async Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workDirectory);
        ArgumentException.ThrowIfNullOrEmpty(localDirectory);
        var quoted = ShellQuoting.Quote(workDirectory);
        var script = $"if [ -d {quoted} ]; then cd -- {quoted} && tar cf - .; r=$?; cd / && rm -rf -- {quoted}; exit $r; fi";
        Directory.CreateDirectory(localDirectory);
        var archive = Path.Combine(Path.GetTempPath(), "devicetest-fetch-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".tar");
        try
        {
            CommandResult result;
            await using (var output = new FileStream(archive, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                // The session's reader calls this on its own task, one chunk at a time: a plain buffered write.
                result = await device.OnSessionAsync(
                    session => session.RunAsync(new CommandRequest(CommandLine.FromShell(script)), device.SignalAsync, cancellationToken, bytes => output.Write(bytes)),
                    cancellationToken);
            }

            if (!result.Succeeded)
            {
                throw new IOException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"device '{device.Name}': cannot get the directory {workDirectory}: {result.Stderr.Trim()} (exit code {result.ExitCode})"));
            }

            if (new FileInfo(archive).Length > 0)
            {
                await TarFile.ExtractToDirectoryAsync(archive, localDirectory, overwriteFiles: true, cancellationToken);
            }
        }
        finally
        {
            File.Delete(archive);
        }
    }

    /// <summary>Removes the request's directories, bounded; best effort (the run is being cancelled, or the test failed already).</summary>
    private async Task RemoveAsync(WorkDirectoryNames names)
    {
        using var bounded = new CancellationTokenSource(CleanupAfterCancel);
        try
        {
            await device.RunAsync(new CommandRequest(CommandLine.FromShell(names.RemoveAll())) { Timeout = CleanupAfterCancel }, bounded.Token);
        }
        catch (Exception)
        {
            // Best effort.
        }
    }
}
