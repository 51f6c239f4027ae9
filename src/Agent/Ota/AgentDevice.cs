using System.Globalization;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Local;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// The device the agent tests: this machine. Unlike <see cref="LocalDevice"/> its reboot really runs the reboot
/// command (the agent persisted where to resume first) and then waits to be stopped by the reboot. Tests marked
/// <c>on_host</c> go to <see cref="Host"/> (the device's host OS over SSH) when one is configured.
/// </summary>
/// <remarks>
/// As an <see cref="IRoutingDevice"/> it names the device the current test uses, and the runner runs the test there
/// as on that device alone: in one round trip (<see cref="IWorkDirectoryCommands"/>: one process here, one command on
/// the host's persistent SSH session), each side's work directories made ahead and removed on that side only.
/// </remarks>
internal sealed class AgentDevice : IDevice, IRoutingDevice
{
    private readonly IDevice local;
    private readonly IDevice? host;
    private IDevice _current;

    public AgentDevice(IDevice local, IDevice? host)
    {
        this.local = local;
        this.host = host;
        _current = local;
    }

    public string Name => local.Name;

    public IReadOnlyList<string> Tags => local.Tags;

    public IReadOnlyList<string> Transports => host is null ? local.Transports : [.. local.Transports, .. host.Transports.Select(t => "on_host: " + t)];

    /// <summary>Where <c>on_host</c> tests run; null: on this machine.</summary>
    public IDevice? Host => host;

    /// <summary>Where the current test runs: this machine, or <see cref="Host"/> (<see cref="UseHost"/>).</summary>
    public IDevice Current => _current;

    public IFileTransfer Files => new RoutedFiles(this);

    public IDeviceConsole? Console => null;

    public IPower? Power => null;

    /// <summary>Sends the commands and file transfers of the next test to the host (true) or to this machine.</summary>
    public void UseHost(bool onHost) => _current = onHost && host is not null ? host : local;

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
        _current.RunAsync(request, cancellationToken);

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _current.EnsureReadyAsync(timeout, cancellationToken);

    public async Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var reboot = command ?? CommandLine.FromShell("/sbin/reboot");
        var result = await local.RunAsync(
            new CommandRequest(reboot)
            {
                Timeout = timeout,
                Environment = new Dictionary<string, string>
                {
                    ["DEVICETEST_AGENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                },
            },
            cancellationToken);
        if (!result.Succeeded)
        {
            var why = result.TimedOut ? "timed out" : $"exited with {result.ExitCode}";
            return new RebootOutcome
            {
                Rebooted = false,
                Details = $"reboot command '{reboot}' {why}: {result.Stderr.Trim()}",
                Duration = TimeProvider.System.GetElapsedTime(started),
            };
        }

        // The reboot stops this process; the state file says where to resume. Still here after the timeout: it did not happen.
        await Task.Delay(timeout, cancellationToken);
        return new RebootOutcome
        {
            Rebooted = false,
            Details = $"reboot command '{reboot}' succeeded but the device did not go down within {DurationText.Format(timeout)}",
            Duration = TimeProvider.System.GetElapsedTime(started),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await local.DisposeAsync();
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    private sealed class RoutedFiles(AgentDevice device) : IFileTransfer
    {
        public Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken) =>
            device._current.Files.PutAsync(localPath, remotePath, mode, cancellationToken);

        public Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken) =>
            device._current.Files.GetAsync(remotePath, localPath, cancellationToken);

        public Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken) =>
            device._current.Files.GetDirectoryAsync(remoteDirectory, localDirectory, cancellationToken);
    }
}
