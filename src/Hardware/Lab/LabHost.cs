using System.Globalization;
using DeviceTest.Hardware.Local;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Lab;

/// <summary>
/// Where a device's screen, keyboard and network commands run: the lab host of its <c>lab</c> section, over the
/// device's <see cref="LabConnection"/> (the persistent session of <see cref="SshDevice"/>, so a key costs a few
/// milliseconds, shared with the device's flashing), or this machine. Only standard tools are asked of the lab host
/// (sh, mktemp, base64 and what the commands themselves name).
/// </summary>
public sealed class LabHost : IAsyncDisposable
{
    /// <summary>The most output a command may give (a base64 frame of a large screen).</summary>
    private const int MaxOutputBytes = 256 * 1024 * 1024;

    private readonly LabConnection? _connection;
    private readonly LocalDevice? _local;

    /// <param name="deviceName">The device the lab host serves, for messages.</param>
    /// <param name="connection">The device's lab connection (the device owns and disposes it), or null: commands run on this machine.</param>
    public LabHost(string deviceName, LabConnection? connection)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceName);
        DeviceName = deviceName;
        if (connection is null)
        {
            _local = new LocalDevice();
            Where = "this machine";
            return;
        }

        _connection = connection;
        Where = connection.Where;
    }

    public string DeviceName { get; }

    /// <summary>"this machine" or "lab host lab@labhost-1", for messages.</summary>
    public string Where { get; }

    /// <summary>True when commands run on this machine.</summary>
    public bool IsLocal => _local is not null;

    /// <summary>
    /// Runs <paramref name="script"/> in the lab host's shell for at most <paramref name="timeout"/>; a failure (exit
    /// code, timeout, no connection) throws <paramref name="fail"/>'s exception with a message that names the
    /// <paramref name="purpose"/>, the <paramref name="command"/> as the user wrote it, where it ran and why it failed.
    /// </summary>
    /// <returns>The script's standard output.</returns>
    public async Task<string> RunAsync(
        string purpose, string command, string script, TimeSpan timeout, Func<string, Exception?, Exception> fail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fail);
        var shown = $"device '{DeviceName}': the {purpose} `{command}` on {Where}";
        CommandResult result;
        try
        {
            var request = new CommandRequest(CommandLine.FromShell(script)) { Timeout = timeout, MaxCapturedBytes = MaxOutputBytes };
            IDevice shell = _connection is null ? _local! : _connection.Shell;
            result = await shell.RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or IOException or InvalidOperationException)
        {
            throw fail($"{shown} could not run: {e.Message}", e);
        }

        if (result.TimedOut)
        {
            throw fail($"{shown} did not finish within {DurationText.Format(timeout)} and was killed", null);
        }

        if (result.ExitCode != 0)
        {
            var detail = LastLines(result.Stderr.Trim().Length > 0 ? result.Stderr : result.Stdout);
            throw fail(
                string.Create(CultureInfo.InvariantCulture, $"{shown} failed with exit code {result.ExitCode}") + (detail.Length > 0 ? ": " + detail : string.Empty),
                null);
        }

        if (result.OutputTruncated)
        {
            throw fail($"{shown} wrote more than {MaxOutputBytes / (1024 * 1024)} MiB", null);
        }

        return result.Stdout;
    }

    /// <summary>Disposes this machine's shell; a lab connection is the device's, disposed by it.</summary>
    public ValueTask DisposeAsync() => _local?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static string LastLines(string text)
    {
        var lines = text.Trim().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" / ", lines.TakeLast(3));
    }
}
