using System.Globalization;

namespace DeviceTest.Framework.Specs;

/// <summary>A loaded, valid spec (fiotest's test-spec, plus DeviceTest's additions).</summary>
public sealed class TestSpec
{
    /// <summary>The spec's name: <c>name:</c> or the file name without <c>.spec.yml</c>/<c>.yml</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The file the spec was loaded from, as given.</summary>
    public required string FilePath { get; init; }

    /// <summary>Tags a device must have to run this spec.</summary>
    public IReadOnlyList<string> RequiredTags { get; init; } = [];

    public required IReadOnlyList<SpecStep> Sequence { get; init; }

    /// <summary>Every test of every step, in order.</summary>
    public IEnumerable<SpecTest> AllTests => Sequence.OfType<TestsStep>().SelectMany(step => step.Tests);

    /// <summary>
    /// The <c>TestId</c> of a result of this spec: <c>spec/stepIndex/name</c>, where name is a test's
    /// <see cref="SpecTest.UniqueName"/> or the name a step reports its own result under.
    /// </summary>
    public string ResultId(int stepIndex, string name) => string.Create(CultureInfo.InvariantCulture, $"{Name}/{stepIndex}/{name}");

    /// <summary>The <c>TestId</c> of <paramref name="test"/>'s results.</summary>
    public string ResultId(SpecTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        return ResultId(test.StepIndex, test.UniqueName);
    }
}
