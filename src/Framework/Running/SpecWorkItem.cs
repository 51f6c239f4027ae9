using DeviceTest.Framework.Results;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>A spec with the options of its run (which tests, where results go, hooks): <see cref="SpecRunner"/> runs it.</summary>
public sealed class SpecWorkItem(TestSpec spec, RunOptions options) : IWorkItem
{
    public TestSpec Spec { get; } = spec ?? throw new ArgumentNullException(nameof(spec));

    public RunOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public Task<RunSummary> RunAsync(IDevice device, IRunObserver observer, CancellationToken cancellationToken) =>
        new SpecRunner(device, Options, observer).RunAsync(Spec, cancellationToken);
}
