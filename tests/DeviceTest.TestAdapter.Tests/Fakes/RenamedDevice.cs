using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Local;
using DeviceTest.TestAdapter.Execution;

namespace DeviceTest.TestAdapter.Tests.Fakes;

/// <summary>This machine under another name: stands in for a board of a pool.</summary>
internal sealed class RenamedDevice(string name, IReadOnlyList<string> tags) : IDevice
{
    private readonly LocalDevice _local = new(tags);

    public string Name => name;

    public IReadOnlyList<string> Tags => tags;

    public IReadOnlyList<string> Transports => _local.Transports;

    public IFileTransfer Files => _local.Files;

    public IDeviceConsole? Console => null;

    public IPower? Power => null;

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) => _local.RunAsync(request, cancellationToken);

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => _local.EnsureReadyAsync(timeout, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _local.RebootAsync(command, timeout, cancellationToken);

    public ValueTask DisposeAsync() => _local.DisposeAsync();

    /// <summary>Opens every devices.yml entry as a renamed local device.</summary>
    public sealed class Provider : IDeviceProvider
    {
        public Task<IDevice> OpenAsync(DeviceConfig config, CancellationToken cancellationToken) =>
            Task.FromResult<IDevice>(new RenamedDevice(config.Name, config.Tags));
    }
}
