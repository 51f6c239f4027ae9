namespace DeviceTest.Framework.Suites;

/// <summary>
/// Marks a method that runs once before the suite's first test that runs (same shapes as a
/// <see cref="DeviceTestAttribute"/> method). When it fails, every test of the suite fails with its message;
/// when it throws <see cref="SkipTestException"/>, every test is skipped. Teardown still runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class DeviceSetupAttribute : Attribute
{
    /// <summary>How long setup may run (<c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>hh:mm:ss</c>); default: the run's default timeout.</summary>
    public string? Timeout { get; set; }
}
