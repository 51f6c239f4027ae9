using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>A <see cref="RecordingDevice"/> for commands with the real screen, keyboard and cable of a <see cref="LabBench"/>.</summary>
public sealed class BenchDevice(RecordingDevice commands, DeviceCapabilities capabilities) : IDevice
{
    public RecordingDevice Commands => commands;

    public string Name => commands.Name;

    public IReadOnlyList<string> Tags => commands.Tags;

    public IReadOnlyList<string> Transports => commands.Transports;

    public IFileTransfer Files => commands.Files;

    public IDeviceConsole? Console => null;

    public IPower? Power => null;

    public IScreen? Screen => capabilities.Screen;

    public IKeyboard? Keyboard => capabilities.Keyboard;

    public INetworkLink? Network => capabilities.Network;

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) => commands.RunAsync(request, cancellationToken);

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => commands.EnsureReadyAsync(timeout, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        commands.RebootAsync(command, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await capabilities.DisposeAsync();
        await commands.DisposeAsync();
    }
}
