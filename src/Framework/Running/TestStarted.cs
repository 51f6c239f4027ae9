using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Running;

/// <summary>A test execution that has just started.</summary>
public sealed record TestStarted(TestSpec Spec, SpecTest Test, int Iteration, bool IsRepeated, DateTimeOffset StartTime);
