using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// <see cref="IWorkDirectoryCommands"/> on the persistent session: a test is one framed command (removals, work
/// directory, the command, the check; see <see cref="CommandFraming.BuildInWorkDirectory"/>), and a fetch is a second
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
        var name = WorkDirectoryScript.NewName();
        var command = request.CommandWithoutWorkDirectory();
        CommandResult result;
        string? report;
        try
        {
            (result, report) = await device.OnSessionAsync(
                session => session.RunInWorkDirectoryAsync(command, name, request.RemoveFirst, device.SignalAsync, cancellationToken),
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RemoveAfterCancelAsync(name);
            throw;
        }

        if (report is null)
        {
            // The frame never ended (a command that would not die took its session along): ask a new session.
            var described = await device.RunAsync(
                new CommandRequest(CommandLine.FromShell(WorkDirectoryScript.Describe(name))) { Timeout = DescribeTimeout }, cancellationToken);
            return WorkDirectoryScript.TryParseDescription(described.Stdout, out var flag, out var path)
                ? new WorkDirectoryRun { Result = result, Path = path, HasFiles = flag == "1" }
                : new WorkDirectoryRun { Result = result };
        }

        if (!WorkDirectoryScript.TryParseDescription(report, out var made, out var workDirectory))
        {
            throw new IOException($"device '{device.Name}': unexpected report after '{command.Command}': '{report}'");
        }

        return made == "x"
            ? new WorkDirectoryRun { Failure = Failure(result) }
            : new WorkDirectoryRun { Result = result, Path = workDirectory, HasFiles = made == "1" };
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

    private static string Failure(CommandResult result) => string.Create(
        CultureInfo.InvariantCulture,
        $"'{WorkDirectoryScript.Make}' gave exit code {result.ExitCode}: {result.Stderr.Trim()}");

    private async Task RemoveAfterCancelAsync(string name)
    {
        using var bounded = new CancellationTokenSource(CleanupAfterCancel);
        try
        {
            await device.RunAsync(new CommandRequest(CommandLine.FromShell(WorkDirectoryScript.RemoveNamed(name))) { Timeout = CleanupAfterCancel }, bounded.Token);
        }
        catch (Exception)
        {
            // Best effort: the run is being cancelled.
        }
    }
}
