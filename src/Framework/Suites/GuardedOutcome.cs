namespace DeviceTest.Framework.Suites;

/// <summary>How a guarded call (test, setup, teardown, constructor) ended.</summary>
internal enum GuardedKind
{
    Passed,
    Failed,
    Skipped,
    TimedOut,
    Cancelled,
}

/// <summary>A guarded call's end: its kind, the exception (unwrapped) and whether it was left running.</summary>
internal sealed record GuardedOutcome(GuardedKind Kind, Exception? Exception, bool Abandoned, TimeSpan Timeout);
