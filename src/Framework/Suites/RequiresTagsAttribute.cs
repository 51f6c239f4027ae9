namespace DeviceTest.Framework.Suites;

/// <summary>
/// Tags the device must have (devices.yml <c>tags</c>) for the suite's or the method's tests to run; on a device
/// without them the tests are skipped. Tags on the class and on the method add up.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequiresTagsAttribute : Attribute
{
    public RequiresTagsAttribute(params string[] tags)
    {
        Tags = tags ?? [];
    }

    public IReadOnlyList<string> Tags { get; }
}
