using System.Reflection;

namespace DeviceTest.Framework.Suites;

/// <summary>A suite's setup or teardown method.</summary>
public sealed class SuiteHookDescriptor
{
    internal SuiteHookDescriptor(SuiteDescriptor suite, MethodInfo method)
    {
        Suite = suite;
        Method = method;
        Id = suite.TypeName + "." + method.Name;
    }

    public SuiteDescriptor Suite { get; }

    public MethodInfo Method { get; }

    /// <summary><c>Namespace.Type.Method</c>, used as the id of the result a failing hook produces.</summary>
    public string Id { get; }

    public string MethodName => Method.Name;

    /// <summary>The hook's own timeout, or null for the run's default.</summary>
    public TimeSpan? Timeout { get; internal init; }

    /// <summary>Why the method cannot run (wrong signature, bad timeout), or null.</summary>
    public string? Problem { get; internal init; }

    public string? SourceFile { get; internal init; }

    public int? SourceLine { get; internal init; }

    public override string ToString() => Id;
}
