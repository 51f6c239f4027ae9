using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>The shape of a spec: a mapping with a `sequence` of steps, each naming one kind, its tests named and unique.</summary>
[TestClass]
public sealed class SpecStructureTests
{
    [TestMethod]
    public void A_step_with_reboot_and_tests_is_a_reboot_step_with_a_warning()
    {
        var result = SpecAssert.Load("""
            sequence:
              - reboot:
                  command: [/sbin/reboot]
                tests:
                  - name: ignored
                    command: [x]
                repeat: { total: 2 }
            """);
        Assert.IsFalse(result.HasErrors);
        var step = (RebootStep)result.Spec!.Sequence.Single();
        CollectionAssert.AreEqual(new[] { "/sbin/reboot" }, step.Command.Arguments!.ToArray());
        Assert.IsEmpty(result.Spec.AllTests);
        var warning = SpecAssert.Has(result, SpecErrorCodes.RebootAndTests, 4, 5, DiagnosticSeverity.Warning);
        StringAssert.Contains(warning.Message, "ignored");
        SpecAssert.Has(result, SpecErrorCodes.RepeatIgnored, 7, 5, DiagnosticSeverity.Warning);
    }

    [TestMethod]
    public void Tests_ignored_by_a_reboot_are_still_checked()
    {
        var result = SpecAssert.Load("sequence:\n  - reboot: { command: /sbin/reboot }\n    tests:\n      - { name: x }\n");
        SpecAssert.Has(result, SpecErrorCodes.MissingKey, 4, 9);
    }

    [TestMethod]
    public void A_step_with_neither_tests_nor_reboot_warns_and_keeps_its_place()
    {
        var result = SpecAssert.Load("""
            sequence:
              - repeat: { total: 2, delay_seconds: 1 }
              - tests:
              - tests: []
              - reboot: { command: reboot }
            """);
        Assert.IsFalse(result.HasErrors, string.Join('\n', result.Diagnostics));
        var warnings = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.EmptyStep).ToList();
        Assert.HasCount(3, warnings);
        Assert.AreEqual((2, 5), (warnings[0].Position.Line, warnings[0].Position.Column));
        Assert.AreEqual((3, 5), (warnings[1].Position.Line, warnings[1].Position.Column));
        Assert.AreEqual((4, 5), (warnings[2].Position.Line, warnings[2].Position.Column));

        // Indexes stay aligned with the file (the agent resumes by index after a reboot).
        Assert.HasCount(4, result.Spec!.Sequence);
        Assert.AreEqual(3, ((RebootStep)result.Spec.Sequence[3]).Index);
        Assert.AreEqual(new RepeatPolicy(2, 1), ((TestsStep)result.Spec.Sequence[0]).Repeat);
    }

    [TestMethod]
    public void Sequence_is_required_and_must_be_a_list()
    {
        SpecAssert.Only("name: x\n", SpecErrorCodes.MissingKey, 1, 1);
        var wrong = SpecAssert.Only("sequence:\n  tests:\n    - name: ltp\n      command: [x]\n", SpecErrorCodes.WrongType, 2, 3);
        StringAssert.Contains(wrong.Message, "list of steps");
        SpecAssert.Only("sequence:\n", SpecErrorCodes.EmptyValue, 1, 10);
        SpecAssert.Only("sequence: []\n", SpecErrorCodes.EmptySequence, 1, 11, DiagnosticSeverity.Warning);
    }

    [TestMethod]
    public void A_document_that_is_not_a_mapping_is_an_error()
    {
        SpecAssert.Only("- tests: []\n", SpecErrorCodes.NotAMapping, 1, 1);
        SpecAssert.Only("\n\njust text\n", SpecErrorCodes.NotAMapping, 3, 1);
    }

    [TestMethod]
    public void Empty_text_is_an_error()
    {
        SpecAssert.Only(string.Empty, SpecErrorCodes.Empty, 1, 1);
        SpecAssert.Only("# only a comment\n\n", SpecErrorCodes.Empty, 1, 1);
    }

    [TestMethod]
    public void Missing_name_and_command_are_reported_at_the_test()
    {
        var result = SpecAssert.Load("""
            sequence:
              - tests:
                  - command: [x]
                  - name: no-command
              - reboot: { timeout: 5m }
            """);
        var missing = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.MissingKey).ToList();
        Assert.HasCount(3, missing, string.Join('\n', result.Diagnostics));
        Assert.AreEqual((3, 9), (missing[0].Position.Line, missing[0].Position.Column));
        StringAssert.Contains(missing[0].Message, "`name`");
        Assert.AreEqual((4, 9), (missing[1].Position.Line, missing[1].Position.Column));
        StringAssert.Contains(missing[1].Message, "`command`");
        Assert.AreEqual((5, 13), (missing[2].Position.Line, missing[2].Position.Column));
        StringAssert.Contains(missing[2].Message, "`command`");
    }

    [TestMethod]
    public void Duplicate_test_names_in_one_step_point_at_the_second()
    {
        var diagnostic = SpecAssert.Only("""
            sequence:
              - tests:
                  - name: ltp
                    command: [a]
                  - name: other
                    command: [b]
                  - name: ltp
                    command: [c]
            """, SpecErrorCodes.DuplicateTestName, 7, 9);
        StringAssert.Contains(diagnostic.Message, "`ltp`");
        StringAssert.Contains(diagnostic.Message, "line 3");
    }
}
