using System.Globalization;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// The device a suite gets: the real one, with each command and reboot written to the running test's output.
/// Disposing it does nothing (the device belongs to the run, not to the suite).
/// </summary>
internal sealed class TranscriptDevice(IDevice inner, TestLogWriter log) : IDevice
{
    public string Name => inner.Name;

    public IReadOnlyList<string> Tags => inner.Tags;

    public IReadOnlyList<string> Transports => inner.Transports;

    public IFileTransfer Files => inner.Files;

    public IDeviceConsole? Console => inner.Console;

    public IPower? Power => inner.Power;

    public IScreen? Screen => inner.Screen;

    public IKeyboard? Keyboard => inner.Keyboard;

    public INetworkLink? Network => inner.Network;

    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        log.WriteLine($"$ {request.Command.ToShellString()}");
        CommandResult result;
        try
        {
            result = await inner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.WriteLine($"[{e.GetType().Name}: {e.Message}]");
            throw;
        }

        WriteBlock(result.Stdout);
        WriteBlock(result.Stderr);
        var status = result.TimedOut ? "timed out" : string.Create(CultureInfo.InvariantCulture, $"exit {result.ExitCode}");
        log.WriteLine($"[{status}, {DurationText.Format(result.Duration)}]");
        return result;
    }

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        inner.EnsureReadyAsync(timeout, cancellationToken);

    public async Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        log.WriteLine($"[reboot{(command is null ? string.Empty : ": " + command.ToShellString())}]");
        var outcome = await inner.RebootAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        log.WriteLine($"[reboot: {outcome.Details}]");
        return outcome;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void WriteBlock(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        log.Write(text);
        if (!text.EndsWith('\n'))
        {
            log.WriteLine();
        }
    }
}
