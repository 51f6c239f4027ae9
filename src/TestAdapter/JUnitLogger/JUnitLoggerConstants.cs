namespace DeviceTest.TestAdapter.JUnit;

/// <summary>The logger's names, and the result properties the adapter sets for it.</summary>
internal static class JUnitLoggerConstants
{
    public const string FriendlyName = "junit";

    public const string ExtensionUri = "logger://DeviceTest/JUnitLogger/v1";

    /// <summary>1-based iteration of a repeated YAML test (int).</summary>
    public const string IterationProperty = "DeviceTest.Iteration";

    /// <summary>Sub-results written under TEST_DIR, as JSON (string).</summary>
    public const string SubResultsProperty = "DeviceTest.SubResults";

    /// <summary>The command's exit code (int).</summary>
    public const string ExitCodeProperty = "DeviceTest.ExitCode";

    /// <summary>
    /// Absolute paths of the result's attachments, one per line (string). The TRX logger rewrites the attachment
    /// URIs it copied to relative ones, so the paths travel on their own too.
    /// </summary>
    public const string AttachmentPathsProperty = "DeviceTest.AttachmentPaths";

    /// <summary>The device the test ran on (string).</summary>
    public const string DeviceProperty = "DeviceTest.Device";

    /// <summary>The default file name, in the test run directory (Azure DevOps' default pattern is TEST-*.xml).</summary>
    public const string DefaultFileNamePattern = "TEST-{assembly}.xml";
}
