using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>The bridge's run context, with <see cref="OverlaidRunSettings"/> as its runsettings.</summary>
internal sealed class OverlaidRunContext(IRunContext inner, IRunSettings runSettings) : IRunContext
{
    public IRunSettings? RunSettings { get; } = runSettings;

    public bool KeepAlive => inner.KeepAlive;

    public bool InIsolation => inner.InIsolation;

    public bool IsDataCollectionEnabled => inner.IsDataCollectionEnabled;

    public bool IsBeingDebugged => inner.IsBeingDebugged;

    public string? TestRunDirectory => inner.TestRunDirectory;

    public string? SolutionDirectory => inner.SolutionDirectory;

    public ITestCaseFilterExpression? GetTestCaseFilter(IEnumerable<string>? supportedProperties, Func<string, TestProperty?> propertyProvider) =>
        inner.GetTestCaseFilter(supportedProperties, propertyProvider);
}
