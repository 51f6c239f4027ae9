using System.Globalization;
using DeviceTest.Hardware;
using Microsoft.Build.Framework;

namespace DeviceTest.Tasks;

/// <summary>
/// Runs a command on the device (a shell command line), logs its output, and sets <see cref="ExitCode"/>. A non-zero
/// exit code fails the build (<c>DT2040</c>) unless <see cref="IgnoreExitCode"/> is true (or the task has
/// <c>ContinueOnError</c>, which MSBuild turns into a warning).
/// </summary>
public sealed class RunOnDevice : DeviceTaskBase
{
    /// <summary>The command, for the device's POSIX shell.</summary>
    [Required]
    public string Command { get; set; } = string.Empty;

    /// <summary>Working directory on the device; empty: the device's default.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>How long the command may run (<c>90s</c>, <c>5m</c>, seconds); default 10 minutes.</summary>
    public string? Timeout { get; set; }

    /// <summary>True: a non-zero exit code is reported as a message and does not fail the build.</summary>
    public bool IgnoreExitCode { get; set; }

    /// <summary>Importance of the command's output in the log: <c>High</c>, <c>Normal</c> (default) or <c>Low</c>.</summary>
    public string? OutputImportance { get; set; }

    /// <summary>The command's exit code (output); -1 when it timed out.</summary>
    [Output]
    public int ExitCode { get; set; } = -1;

    /// <summary>The command's standard output (output).</summary>
    [Output]
    public string? StandardOutput { get; set; }

    internal override async Task<bool> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Command))
        {
            LogProjectError(ErrorCodes.BadParameter, "RunOnDevice needs a Command.");
            return false;
        }

        if (!Durations.TryParse(Timeout, TimeSpan.FromMinutes(10), out var timeout))
        {
            LogProjectError(ErrorCodes.BadParameter, $"RunOnDevice Timeout '{Timeout}' is not a duration such as 90s, 5m or 00:05:00.");
            return false;
        }

        var importance = OutputImportance?.Trim().ToUpperInvariant() switch
        {
            "HIGH" => MessageImportance.High,
            "LOW" => MessageImportance.Low,
            _ => MessageImportance.Normal,
        };

        var config = ResolveDeviceConfig();
        if (config is null)
        {
            return false;
        }

        await using var device = DeviceFactory.Create(config);
        var request = new CommandRequest(CommandLine.FromShell(Command))
        {
            Timeout = timeout,
            WorkingDirectory = string.IsNullOrWhiteSpace(WorkingDirectory) ? null : WorkingDirectory,
        };
        Log.LogMessage(MessageImportance.Normal, $"RunOnDevice: '{config.Name}': {Command}");
        var result = await device.RunAsync(request, cancellationToken);
        StandardOutput = result.Stdout;
        foreach (var line in Lines(result.Stdout))
        {
            Log.LogMessage(importance, "  " + line);
        }

        foreach (var line in Lines(result.Stderr))
        {
            Log.LogMessage(importance, "  " + line);
        }

        if (result.TimedOut)
        {
            ExitCode = -1;
            LogDeviceError(ErrorCodes.CommandTimedOut, string.Create(CultureInfo.InvariantCulture, $"'{Command}' on device '{config.Name}' did not finish within {timeout.TotalSeconds:F0} s and was killed."));
            return false;
        }

        ExitCode = result.ExitCode;
        if (result.ExitCode != 0)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"'{Command}' on device '{config.Name}' exited with code {result.ExitCode}.{LastLine(result.Stderr)}");
            if (IgnoreExitCode)
            {
                Log.LogMessage(MessageImportance.High, "RunOnDevice: " + message);
                return true;
            }

            LogProjectError(ErrorCodes.CommandFailed, message + " Set IgnoreExitCode=\"true\" to go on anyway.");
            return false;
        }

        return true;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);

    private static string LastLine(string stderr)
    {
        var last = Lines(stderr).LastOrDefault();
        return last is null ? string.Empty : " Last error line: " + last;
    }
}
