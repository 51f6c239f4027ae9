namespace DeviceTest.Framework.Suites;

/// <summary>
/// Marks a method that runs once after the suite's tests, also when tests or setup failed or the run was cancelled
/// (same shapes as a <see cref="DeviceTestAttribute"/> method). A passing teardown adds no result; a failing one is
/// reported as an extra failed result named after the teardown method.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class DeviceTeardownAttribute : Attribute
{
    /// <summary>How long teardown may run (<c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>hh:mm:ss</c>); default: the run's default timeout.</summary>
    public string? Timeout { get; set; }
}
