namespace DeviceTest.Framework.Suites;

/// <summary>A C# device test that has just started on a device.</summary>
public sealed record SuiteTestStarted(SuiteTestDescriptor Test, string DeviceName, DateTimeOffset StartTime);
