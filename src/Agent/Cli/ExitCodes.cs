namespace DeviceTest.Agent.Cli;

/// <summary>The <c>devicetest</c> exit codes (DESIGN.md §7).</summary>
internal static class ExitCodes
{
    /// <summary>Every test passed (or, for validate, every spec is valid).</summary>
    public const int Success = 0;

    /// <summary>At least one test failed.</summary>
    public const int TestsFailed = 1;

    /// <summary>Bad usage, a bad spec or a bad device configuration.</summary>
    public const int BadInput = 2;

    /// <summary>The device could not be reached.</summary>
    public const int DeviceUnreachable = 3;

    /// <summary>Stopped by Ctrl+C or SIGTERM (the shell convention 128 + SIGINT).</summary>
    public const int Cancelled = 130;
}
