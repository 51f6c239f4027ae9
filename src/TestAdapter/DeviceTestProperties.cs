using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter;

/// <summary>
/// Trait names on DeviceTest's test cases, and the properties <c>dotnet test --filter</c> understands:
/// FullyQualifiedName, Name (the display name), Spec, Suite and Tag.
/// </summary>
internal static class DeviceTestProperties
{
    public const string SpecTrait = "Spec";
    public const string StepTrait = "Step";
    public const string TagTrait = "Tag";
    public const string SuiteTrait = "Suite";

    public static readonly TestProperty Spec = Register("DeviceTest.Spec", SpecTrait, typeof(string));

    public static readonly TestProperty Suite = Register("DeviceTest.Suite", SuiteTrait, typeof(string));

    public static readonly TestProperty Tag = Register("DeviceTest.Tag", TagTrait, typeof(string[]));

    public static readonly TestProperty Name = Register("DeviceTest.Name", "Name", typeof(string));

    /// <summary>The names <c>--filter</c> accepts.</summary>
    public static IReadOnlyList<string> FilterNames { get; } =
        ["FullyQualifiedName", "Name", "DisplayName", SpecTrait, SuiteTrait, TagTrait];

    /// <summary>The property VSTest validates a filter name against (case-insensitive).</summary>
    public static TestProperty? ForFilterName(string name) => name.ToUpperInvariant() switch
    {
        "FULLYQUALIFIEDNAME" => TestCaseProperties.FullyQualifiedName,
        "NAME" => Name,
        "DISPLAYNAME" => TestCaseProperties.DisplayName,
        "SPEC" => Spec,
        "SUITE" => Suite,
        "TAG" => Tag,
        _ => null,
    };

    /// <summary>The value a filter compares for <paramref name="name"/>: a string, a string array (tags) or null.</summary>
    public static object? FilterValue(TestCase testCase, string name)
    {
        switch (name.ToUpperInvariant())
        {
            case "FULLYQUALIFIEDNAME":
                return testCase.FullyQualifiedName;
            case "NAME":
            case "DISPLAYNAME":
                return testCase.DisplayName;
            case "SPEC":
                return TraitValue(testCase, SpecTrait);
            case "SUITE":
                return SuiteNames(testCase);
            case "TAG":
                var tags = testCase.Traits.Where(t => t.Name == TagTrait).Select(t => t.Value).ToArray();
                return tags.Length == 0 ? null : tags;
            default:
                return null;
        }
    }

    /// <summary>A suite matches by its name and by its class's simple name (<c>Suite=NetworkSuite</c>).</summary>
    private static string[]? SuiteNames(TestCase testCase)
    {
        if (TraitValue(testCase, SuiteTrait) is not { } suite)
        {
            return null;
        }

        var name = testCase.FullyQualifiedName;
        var lastDot = name.LastIndexOf('.');
        var typeName = lastDot < 0 ? name : name[..lastDot];
        var simple = typeName[(typeName.LastIndexOf('.') + 1)..];
        return suite == simple ? [suite] : [suite, simple];
    }

    private static string? TraitValue(TestCase testCase, string name) =>
        testCase.Traits.FirstOrDefault(t => t.Name == name)?.Value;

    private static TestProperty Register(string id, string label, Type type) =>
        TestProperty.Register(id, label, type, TestPropertyAttributes.Hidden, typeof(TestCase));
}
