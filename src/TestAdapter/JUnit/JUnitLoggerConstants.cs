namespace DeviceTest.TestAdapter.JUnit;

/// <summary>The logger's names, and the result properties the adapter sets for it.</summary>
internal static class JUnitLoggerConstants
{
    /// <summary>
    /// <c>--logger devicetest-junit</c>: a name no other logger uses. JunitXml.TestLogger (spekt) is <c>junit</c>; with
    /// both loggers next to the test dll, VSTest would pick whichever it happened to load first for <c>junit</c>.
    /// </summary>
    public const string FriendlyName = "devicetest-junit";

    public const string ExtensionUri = "logger://DeviceTest/JUnitLogger/v1";

    /// <summary>
    /// <c>--logger junit</c> where DeviceTest's is the only JUnit logger: the alias in DeviceTest.JUnitAlias.TestLogger.dll,
    /// which the build copies next to the test dll only when the project does not use JunitXml.TestLogger.
    /// </summary>
    public const string AliasFriendlyName = "junit";

    public const string AliasExtensionUri = "logger://DeviceTest/JUnitLogger/junit-alias/v1";

    /// <summary>The adapter's executor URI: results with it are DeviceTest's own tests.</summary>
    public const string DeviceTestExecutorUri = "executor://DeviceTest/TestAdapter/v1";

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
