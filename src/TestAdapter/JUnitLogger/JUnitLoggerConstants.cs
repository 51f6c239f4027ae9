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

    /// <summary>VSTest's property (as MSTest and the TRX logger name it) with a result's execution id (Guid).</summary>
    public const string ExecutionIdProperty = "ExecutionId";

    /// <summary>
    /// VSTest's property naming the parent result's execution id (Guid): the TRX logger nests such a result as an
    /// InnerResult. DeviceTest sets it on the results of sub-results.
    /// </summary>
    public const string ParentExecutionIdProperty = "ParentExecId";

    /// <summary>The default file name, in the test run directory (Azure DevOps' default pattern is TEST-*.xml).</summary>
    public const string DefaultFileNamePattern = "TEST-{assembly}.xml";
}
