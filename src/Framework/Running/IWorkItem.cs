using DeviceTest.Framework.Results;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>
/// What one device runs in one go: a spec (<see cref="SpecWorkItem"/>) or C# suites (<see cref="Suites.SuiteWorkItem"/>),
/// with the tests selected in it and how to run them. <c>dotnet test</c>, <c>devicetest run</c> and the agent run
/// every item the same way.
/// </summary>
public interface IWorkItem
{
    /// <summary>Runs the item on <paramref name="device"/>, reporting each result to <paramref name="observer"/> as it comes.</summary>
    /// <returns>The counts; <see cref="RunSummary.Cancelled"/> when <paramref name="cancellationToken"/> stopped it.</returns>
    /// <exception cref="Hardware.DeviceUnreachableException">The device stopped answering; what ran was reported.</exception>
    Task<RunSummary> RunAsync(IDevice device, IRunObserver observer, CancellationToken cancellationToken);
}
