namespace DeviceTest.Framework.Suites;

/// <summary>
/// Marks a class as a C# device suite: its <see cref="DeviceTestAttribute"/> methods run in declaration order,
/// on one device, on one instance of the class. Abstract classes are not suites themselves, but concrete classes
/// derived from them are (the attribute is inherited).
/// </summary>
/// <remarks>
/// The constructor may take <c>IDevice</c>, <c>IDeviceConsole</c>, <c>IPower</c>, <c>IFileTransfer</c> (declare
/// console and power nullable when the suite also works without them; otherwise the suite is skipped on devices
/// that lack them), a <see cref="TextWriter"/> whose text is kept as each test's output, and anything the runner's
/// <see cref="SuiteRunOptions.Services"/> provides.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class DeviceSuiteAttribute : Attribute
{
    /// <summary>A name shown for the suite (the <c>suite</c> property of its results); default: the type's full name.</summary>
    public string? Name { get; set; }
}
