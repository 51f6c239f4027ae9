using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Suites;

internal sealed class FakePower : IPower
{
    public string Description => "fake relay";

    public Task OnAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OffAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CycleAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
