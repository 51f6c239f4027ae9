using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;

namespace DeviceTest.TestAdapter.Tests.Fakes;

/// <summary>A run context with given runsettings XML and results directory, and no filter.</summary>
internal sealed class FakeRunContext(string? settingsXml, string testRunDirectory) : IRunContext, IRunSettings
{
    public Func<IEnumerable<string>, Func<string, TestProperty?>, ITestCaseFilterExpression?> Filter { get; init; } = (_, _) => null;

    public bool KeepAlive => false;

    public bool InIsolation => false;

    public bool IsDataCollectionEnabled => false;

    public bool IsBeingDebugged => false;

    public string? TestRunDirectory => testRunDirectory;

    public string? SolutionDirectory => null;

    public IRunSettings? RunSettings => this;

    public string? SettingsXml => settingsXml;

    public ITestCaseFilterExpression? GetTestCaseFilter(IEnumerable<string>? supportedProperties, Func<string, TestProperty?> propertyProvider) =>
        Filter(supportedProperties ?? [], propertyProvider);

    public ISettingsProvider? GetSettings(string? settingsName) => throw new NotImplementedException("as under the MTP bridge");
}
