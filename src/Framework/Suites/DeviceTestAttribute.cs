namespace DeviceTest.Framework.Suites;

/// <summary>
/// Marks a method of a <see cref="DeviceSuiteAttribute"/> class as a device test. Valid shapes:
/// <c>Task M(CancellationToken)</c>, <c>Task M()</c>, <c>ValueTask M(CancellationToken)</c>, <c>ValueTask M()</c>,
/// <c>void M(CancellationToken)</c> and <c>void M()</c>, as instance methods. An exception fails the test;
/// <see cref="SkipTestException"/> skips it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class DeviceTestAttribute : Attribute
{
    /// <summary>
    /// How long the test may run, written <c>90s</c>, <c>5m</c>, <c>1h30m</c> or <c>hh:mm:ss</c>; default: the run's
    /// default timeout (10 minutes). When it passes, the test's <see cref="CancellationToken"/> is cancelled and the test fails.
    /// </summary>
    public string? Timeout { get; set; }

    /// <summary>The name shown for the test; default: the method's name.</summary>
    public string? Name { get; set; }

    /// <summary>When set, the test is not run and is reported as skipped with this reason.</summary>
    public string? Skip { get; set; }
}
