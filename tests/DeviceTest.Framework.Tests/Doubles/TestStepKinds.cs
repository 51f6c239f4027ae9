using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>The built-in step kinds and the ones made in tests (<see cref="ProbeStep"/>, <see cref="LinkStep"/>).</summary>
public static class TestStepKinds
{
    public static StepKinds All { get; } = StepKinds.Default.With(ProbeStep.StepKind).With(LinkStep.StepKind);

    /// <summary>Loads <paramref name="yaml"/> with <see cref="All"/>; fails the test on errors.</summary>
    public static TestSpec Load(string yaml, string fileName = "kinds.spec.yml")
    {
        var result = SpecLoader.LoadText(yaml, fileName, All);
        Assert.IsFalse(result.HasErrors, string.Join('\n', result.Diagnostics));
        return result.Spec!;
    }
}
