using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>How steps are read: each kind reads its own value, the sequence's rules hold for every kind.</summary>
[TestClass]
public sealed class StepKindParsingTests
{
    [TestMethod]
    public void A_registered_kind_reads_its_own_mapping_into_its_step()
    {
        var spec = TestStepKinds.Load("sequence:\n  - probe: { name: splash, pass: false }\n  - link: down\n");

        var probe = (ProbeStep)spec.Sequence[0];
        Assert.AreEqual(("splash", false, 0, 2, 5), (probe.Name, probe.Passes, probe.Index, probe.Position.Line, probe.Position.Column));
        Assert.IsFalse(((LinkStep)spec.Sequence[1]).Up);
        Assert.IsEmpty(spec.AllTests);
    }

    [TestMethod]
    public void A_kind_s_problems_are_reported_where_they_are_with_every_other_problem()
    {
        var result = SpecLoader.LoadText(
            "sequence:\n  - probe: { nme: splash }\n  - link: sideways\n  - tests:\n      - name: a\n", "bad.spec.yml", TestStepKinds.All);

        CollectionAssert.AreEqual(
            new[]
            {
                $"2:12 {SpecErrorCodes.MissingKey}",
                $"2:14 {SpecErrorCodes.UnknownKey}",
                $"3:11 {SpecErrorCodes.OutOfRange}",
                $"5:9 {SpecErrorCodes.MissingKey}",
            },
            result.Diagnostics.Select(d => $"{d.Position.Line}:{d.Position.Column} {d.Code}").ToArray(),
            string.Join('\n', result.Diagnostics));
        StringAssert.Contains(result.Diagnostics[2].Message, "`link` must be up or down, not `sideways`");
        Assert.IsNull(result.Spec);
    }

    [TestMethod]
    public void A_kind_the_loader_was_not_given_is_an_unknown_key()
    {
        var result = SpecLoader.LoadText("sequence:\n  - probe: { name: splash }\n", "t.spec.yml");

        SpecAssert.Has(result, SpecErrorCodes.UnknownKey, 2, 5);
    }

    [TestMethod]
    public void A_step_naming_two_kinds_is_an_error_at_the_second()
    {
        var result = SpecLoader.LoadText("sequence:\n  - link: down\n    probe: { name: x }\n", "t.spec.yml", TestStepKinds.All);

        var error = SpecAssert.Has(result, SpecErrorCodes.SeveralStepKinds, 3, 5);
        StringAssert.Contains(error.Message, "step 1 has both `link` and `probe`; a step does one thing: put `probe` in a step of its own");
    }

    [TestMethod]
    public void Repeat_on_a_kind_that_does_not_repeat_is_a_warning_naming_the_kind()
    {
        var result = SpecLoader.LoadText("sequence:\n  - link: down\n    repeat: { total: 2 }\n", "t.spec.yml", TestStepKinds.All);

        var warning = SpecAssert.Has(result, SpecErrorCodes.RepeatIgnored, 3, 5, DiagnosticSeverity.Warning);
        Assert.AreEqual("step 1 is a link step; `repeat` has no effect on it", warning.Message);
        Assert.IsNotNull(result.Spec);
    }

    [TestMethod]
    public void A_step_with_no_kind_warns_with_every_registered_kind_in_the_message()
    {
        var result = SpecLoader.LoadText("sequence:\n  - repeat: { total: 2 }\n", "t.spec.yml", TestStepKinds.All);

        var warning = SpecAssert.Has(result, SpecErrorCodes.EmptyStep, 2, 5, DiagnosticSeverity.Warning);
        Assert.AreEqual("step 1 has none of `tests`, `reboot`, `screenshot`, `screen`, `keys`, `network`, `flash`, `probe`, `link`; it does nothing", warning.Message);
    }

    [TestMethod]
    public void A_kind_cannot_be_registered_twice()
    {
        Assert.ThrowsExactly<ArgumentException>(() => TestStepKinds.All.With(ProbeStep.StepKind));
        Assert.ThrowsExactly<ArgumentException>(() => StepKinds.Default.With(new StepKind("reboot", _ => null)));
    }
}
