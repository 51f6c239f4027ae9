using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>
/// A real device seen only through <see cref="IDevice"/>: the runner takes the portable path (mktemp, the command, a
/// directory fetch, rm), as it did for every device before tests took one round trip. Does not own the device.
/// </summary>
public sealed class PortableOnlyDevice(IDevice inner) : IDevice
{
    public string Name => inner.Name;

    public IReadOnlyList<string> Tags => inner.Tags;

    public IReadOnlyList<string> Transports => inner.Transports;

    public IFileTransfer Files => inner.Files;

    public IDeviceConsole? Console => inner.Console;

    public IPower? Power => inner.Power;

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) => inner.RunAsync(request, cancellationToken);

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => inner.EnsureReadyAsync(timeout, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        inner.RebootAsync(command, timeout, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
