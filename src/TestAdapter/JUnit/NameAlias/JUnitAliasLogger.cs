using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;

namespace DeviceTest.TestAdapter.JUnit.NameAlias;

/// <summary>
/// <c>dotnet test --logger junit</c> for DeviceTest's JUnit logger (<c>devicetest-junit</c>), with the same parameters.
/// It lives in its own dll because JunitXml.TestLogger is also <c>junit</c>: VSTest takes the first logger it finds for a
/// name, so the build copies this dll next to the test dll only when the project does not use JunitXml.TestLogger
/// (build/DeviceTest.TestAdapter.targets, <c>DeviceTestJUnitAlias</c>).
/// </summary>
[FriendlyName(JUnitLoggerConstants.AliasFriendlyName)]
[ExtensionUri(JUnitLoggerConstants.AliasExtensionUri)]
public sealed class JUnitAliasLogger : ITestLoggerWithParameters
{
    private readonly JUnitLogger _logger = new();

    /// <summary>The file written, once known.</summary>
    public string? FilePath => _logger.FilePath;

    public void Initialize(TestLoggerEvents events, string testRunDirectory) => _logger.Initialize(events, testRunDirectory);

    public void Initialize(TestLoggerEvents events, Dictionary<string, string?> parameters) => _logger.Initialize(events, parameters);
}
