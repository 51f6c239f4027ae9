namespace DeviceTest.Agent.Cli;

/// <summary>
/// The <c>devicetest</c> exit codes (the README's table). A run stopped by Ctrl+C or SIGTERM writes its results so far
/// and exits as a finished run over those results would (0 or 1; 1 when no test finished). A second Ctrl+C kills
/// the process at once (the shell then reports 130).
/// </summary>
internal static class ExitCodes
{
    /// <summary>Every test passed (or, for validate, every spec is valid).</summary>
    public const int Success = 0;

    /// <summary>At least one test failed (or a stopped run finished no test).</summary>
    public const int TestsFailed = 1;

    /// <summary>Bad usage, a bad spec or a bad device configuration.</summary>
    public const int BadInput = 2;

    /// <summary>The device could not be reached.</summary>
    public const int DeviceUnreachable = 3;

    /// <summary>A bug in devicetest (an unexpected exception): sysexits' EX_SOFTWARE.</summary>
    public const int InternalError = 70;
}
