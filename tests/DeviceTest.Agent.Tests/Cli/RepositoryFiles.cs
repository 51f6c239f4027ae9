using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>Files of this repository the tests use: samples and fiotest's examples.</summary>
internal static class RepositoryFiles
{
    public static string Path(params string[] parts) => RepositoryRoot.Combine(parts);

    /// <summary>One of fiotest's documented example specs, kept in the repository (<c>tests/data/fiotest</c>).</summary>
    public static string FiotestExample(string fileName) => Path("tests", "data", "fiotest", fileName);
}
