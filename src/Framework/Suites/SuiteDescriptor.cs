using System.Diagnostics.CodeAnalysis;

namespace DeviceTest.Framework.Suites;

/// <summary>A discovered <see cref="DeviceSuiteAttribute"/> class: its tests in declaration order, setup and teardown.</summary>
public sealed class SuiteDescriptor
{
    internal const DynamicallyAccessedMemberTypes SuiteMembers =
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.NonPublicConstructors |
        DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;

    private readonly List<SuiteTestDescriptor> _tests = [];

    internal SuiteDescriptor(
        [DynamicallyAccessedMembers(SuiteMembers)] Type type,
        string name,
        IReadOnlyList<string> requiredTags)
    {
        Type = type;
        Name = name;
        RequiredTags = requiredTags;
        TypeName = SuiteNames.TypeName(type);
    }

    /// <summary>The suite class.</summary>
    [DynamicallyAccessedMembers(SuiteMembers)]
    public Type Type { get; }

    /// <summary>The class's full name with nested types joined by dots (<c>Namespace.Outer.Inner</c>).</summary>
    public string TypeName { get; }

    /// <summary><see cref="DeviceSuiteAttribute.Name"/>, or <see cref="TypeName"/>.</summary>
    public string Name { get; }

    /// <summary>Tags from <see cref="RequiresTagsAttribute"/> on the class.</summary>
    public IReadOnlyList<string> RequiredTags { get; }

    /// <summary>The tests, in declaration order.</summary>
    public IReadOnlyList<SuiteTestDescriptor> Tests => _tests;

    /// <summary>The <see cref="DeviceSetupAttribute"/> methods, in declaration order.</summary>
    public IReadOnlyList<SuiteHookDescriptor> Setups { get; internal set; } = [];

    /// <summary>The <see cref="DeviceTeardownAttribute"/> methods, in declaration order.</summary>
    public IReadOnlyList<SuiteHookDescriptor> Teardowns { get; internal set; } = [];

    internal void Add(SuiteTestDescriptor test) => _tests.Add(test);

    public override string ToString() => TypeName;
}
