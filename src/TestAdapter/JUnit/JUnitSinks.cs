using DeviceTest.Framework.Results;

namespace DeviceTest.TestAdapter.JUnit;

/// <summary>Where the logger's results go: the Framework's JUnit writer.</summary>
internal static class JUnitSinks
{
    public static IResultSink Create(string path, JUnitSubResults subResults) => new JUnitResultWriter(path, subResults);
}
