using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Runs each test on the device a <see cref="IRoutingDevice"/> currently sends it to, with that device's own runner
/// (<see cref="TestCommandRunners.For"/>): a runner's work directories made ahead and its batched removals belong to
/// the one device it runs on, so a directory made on one device is never reused or removed through another, and
/// <see cref="FinishAsync"/> removes what is left on each device that ran a test.
/// </summary>
internal sealed class RoutedTestRunner(IRoutingDevice routing) : ITestCommandRunner
{
    // Two at most in practice (this machine and its host); a list keeps the order of first use for FinishAsync.
    private readonly List<(IDevice Device, ITestCommandRunner Runner)> _runners = [];

    public Task<TestCommandOutcome> RunAsync(TestCommand command, CancellationToken cancellationToken) =>
        RunnerFor(routing.Current).RunAsync(command, cancellationToken);

    public async Task<IReadOnlyList<string>> FinishAsync(bool cancelled)
    {
        var warnings = new List<string>();
        foreach (var (_, runner) in _runners)
        {
            warnings.AddRange(await runner.FinishAsync(cancelled));
        }

        return warnings;
    }

    private ITestCommandRunner RunnerFor(IDevice device)
    {
        foreach (var (known, runner) in _runners)
        {
            if (ReferenceEquals(known, device))
            {
                return runner;
            }
        }

        var added = TestCommandRunners.For(device);
        _runners.Add((device, added));
        return added;
    }
}
