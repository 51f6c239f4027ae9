using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Specs;

[TestClass]
public sealed class SpecLoaderTests
{
    [TestMethod]
    public void Loads_the_DeviceTest_additions()
    {
        var spec = SpecAssert.Valid("""
            name: smoke
            requires: { tags: [wifi, arm64] }
            sequence:
              - tests:
                  - name: kernel
                    command: [uname, -a]
                    timeout: 60s
                    env: { MODE: quick, LEVEL: 3 }
                    on_host: false
                  - name: shell
                    command: echo "$MODE" | grep quick
                    on_host: true
                repeat: { total: 4, delay_seconds: 5 }
              - reboot: { command: /sbin/reboot, timeout: 5m }
            """);

        Assert.AreEqual("smoke", spec.Name);
        Assert.AreEqual("t.spec.yml", spec.FilePath);
        CollectionAssert.AreEqual(new[] { "wifi", "arm64" }, spec.RequiredTags.ToArray());
        Assert.HasCount(2, spec.Sequence);

        var tests = (TestsStep)spec.Sequence[0];
        Assert.AreEqual(0, tests.Index);
        Assert.AreEqual(new SourcePosition("t.spec.yml", 4, 5), tests.Position);
        Assert.AreEqual(new RepeatPolicy(4, 5), tests.Repeat);

        var kernel = tests.Tests[0];
        Assert.AreEqual("kernel", kernel.Name);
        Assert.AreEqual("kernel", kernel.UniqueName);
        Assert.AreEqual(CommandLine.FromArguments("uname", "-a"), kernel.Command);
        Assert.AreEqual(TimeSpan.FromSeconds(60), kernel.Timeout);
        Assert.AreEqual("quick", kernel.Environment["MODE"]);
        Assert.AreEqual("3", kernel.Environment["LEVEL"]);
        Assert.IsFalse(kernel.OnHost);
        Assert.AreEqual(new SourcePosition("t.spec.yml", 5, 9), kernel.Position);
        Assert.AreEqual(0, kernel.StepIndex);

        var shell = tests.Tests[1];
        Assert.AreEqual("echo \"$MODE\" | grep quick", shell.Command.ShellText);
        Assert.IsNull(shell.Command.Arguments);
        Assert.IsNull(shell.Timeout);
        Assert.IsEmpty(shell.Environment);
        Assert.IsTrue(shell.OnHost);
        Assert.AreEqual(new SourcePosition("t.spec.yml", 10, 9), shell.Position);

        var reboot = (RebootStep)spec.Sequence[1];
        Assert.AreEqual(1, reboot.Index);
        Assert.AreEqual("/sbin/reboot", reboot.Command.ShellText);
        Assert.AreEqual(TimeSpan.FromMinutes(5), reboot.Timeout);
        Assert.AreEqual(new SourcePosition("t.spec.yml", 14, 5), reboot.Position);
    }

    [TestMethod]
    [DataRow("smoke.spec.yml", "smoke")]
    [DataRow("dir/network.spec.yaml", "network")]
    [DataRow("test-spec.yml", "test-spec")]
    [DataRow("soak.yaml", "soak")]
    [DataRow("plain", "plain")]
    public void Name_defaults_to_the_file_name(string path, string expected)
    {
        Assert.AreEqual(expected, SpecLoader.DefaultName(path));
        var spec = SpecAssert.Valid("sequence:\n  - tests:\n      - { name: a, command: [true] }\n", path);
        Assert.AreEqual(expected, spec.Name);
    }

    [TestMethod]
    public void Command_items_are_turned_into_text_as_fiotest_does()
    {
        var result = SpecAssert.Load("""
            sequence:
              - tests:
                  - name: sleep
                    command: [/bin/sleep, 10]
                  - name: quoted
                    command: [echo, '010', "yes", 1.50]
                  - name: words
                    command: [echo, yes, 010, 0x1F, 1_000, 2.5e+3]
            """);
        Assert.IsFalse(result.HasErrors, string.Join('\n', result.Diagnostics));
        var tests = ((TestsStep)result.Spec!.Sequence[0]).Tests;
        CollectionAssert.AreEqual(new[] { "/bin/sleep", "10" }, tests[0].Command.Arguments!.ToArray());
        CollectionAssert.AreEqual(new[] { "echo", "010", "yes", "1.5" }, tests[1].Command.Arguments!.ToArray());
        CollectionAssert.AreEqual(new[] { "echo", "True", "8", "31", "1000", "2500.0" }, tests[2].Command.Arguments!.ToArray());

        // Every item whose text changes gets a warning at the item, telling how to keep the text.
        var warnings = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.ValueCoerced).ToList();
        Assert.HasCount(6, warnings, string.Join('\n', result.Diagnostics));
        Assert.AreEqual((6, 39), (warnings[0].Position.Line, warnings[0].Position.Column)); // 1.50
        Assert.AreEqual((8, 25), (warnings[1].Position.Line, warnings[1].Position.Column)); // yes
        Assert.AreEqual(DiagnosticSeverity.Warning, warnings[1].Severity);
        StringAssert.Contains(warnings[1].Message, "'yes'");
    }

    [TestMethod]
    public void A_string_command_is_for_the_shell_even_when_it_looks_like_a_word()
    {
        var spec = SpecAssert.Valid("sequence:\n  - tests:\n      - { name: t, command: true }\n      - { name: u, command: 'exit 3' }\n");
        var tests = ((TestsStep)spec.Sequence[0]).Tests;
        Assert.AreEqual("true", tests[0].Command.ShellText);
        Assert.AreEqual("exit 3", tests[1].Command.ShellText);
    }

    [TestMethod]
    public void Repeat_uses_fiotest_defaults_and_meaning()
    {
        var spec = SpecAssert.Valid("""
            sequence:
              - tests: [{ name: a, command: [x] }]
                repeat: {}
              - tests: [{ name: b, command: [x] }]
                repeat: { total: 0 }
              - tests: [{ name: c, command: [x] }]
                repeat: { total: 1, delay_seconds: 0 }
              - tests: [{ name: d, command: [x] }]
            """);
        var steps = spec.Sequence.Cast<TestsStep>().ToList();
        Assert.AreEqual(new RepeatPolicy(-1, 3600), steps[0].Repeat);
        Assert.IsTrue(steps[0].Repeat!.IsForever);
        Assert.IsTrue(steps[1].Repeat!.IsForever);
        Assert.AreEqual(3600, steps[1].Repeat!.DelaySeconds);
        Assert.AreEqual(new RepeatPolicy(1, 0), steps[2].Repeat);
        Assert.IsNull(steps[3].Repeat);
    }

    [TestMethod]
    public void Negative_and_non_numeric_repeat_values_are_errors()
    {
        var result = SpecAssert.Load("""
            sequence:
              - tests: [{ name: a, command: [x] }]
                repeat: { total: -2, delay_seconds: -1 }
              - tests: [{ name: b, command: [x] }]
                repeat:
                  total: many
                  delay_seconds: "5"
              - tests: [{ name: c, command: [x] }]
                repeat: { total: 1.5, delay_seconds: [1] }
            """);
        var outOfRange = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.OutOfRange).ToList();
        Assert.HasCount(2, outOfRange, string.Join('\n', result.Diagnostics));
        Assert.AreEqual((3, 22), (outOfRange[0].Position.Line, outOfRange[0].Position.Column));
        StringAssert.Contains(outOfRange[0].Message, "-1 or 0 to repeat forever");
        Assert.AreEqual((3, 41), (outOfRange[1].Position.Line, outOfRange[1].Position.Column));
        StringAssert.Contains(outOfRange[1].Message, "must not be negative");

        var notNumbers = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.NotANumber).ToList();
        Assert.HasCount(3, notNumbers, string.Join('\n', result.Diagnostics));
        Assert.AreEqual((6, 14), (notNumbers[0].Position.Line, notNumbers[0].Position.Column));
        Assert.AreEqual((7, 22), (notNumbers[1].Position.Line, notNumbers[1].Position.Column));
        Assert.AreEqual((9, 22), (notNumbers[2].Position.Line, notNumbers[2].Position.Column));
        SpecAssert.Has(result, SpecErrorCodes.WrongType, 9, 42);
        Assert.HasCount(6, result.Diagnostics);
    }

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

    [TestMethod]
    public void The_same_name_in_several_steps_gets_a_unique_name()
    {
        var spec = SpecAssert.Valid("""
            sequence:
              - tests: [{ name: ltp, command: [a] }, { name: once, command: [b] }]
              - reboot: { command: /sbin/reboot }
              - tests: [{ name: ltp, command: [a] }]
            """);
        var names = spec.AllTests.Select(t => t.UniqueName).ToArray();
        CollectionAssert.AreEqual(new[] { "ltp (step 1)", "once", "ltp (step 3)" }, names);
        Assert.AreEqual(2, spec.AllTests.Last().StepIndex);
        Assert.AreEqual("ltp", spec.AllTests.Last().Name);
    }

    [TestMethod]
    public void Unknown_keys_are_errors_with_a_suggestion()
    {
        var result = SpecAssert.Load("""
            name: x
            sequense: []
            sequence:
              - tests:
                  - name: a
                    comand: [x]
                    command: [x]
                    timout: 5s
                    frobnicate: 1
                repeat: { totl: 3 }
              - reboot: { command: x, timeout: 1m, delay: 2 }
            """);
        var unknown = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.UnknownKey).ToList();
        Assert.HasCount(6, unknown, string.Join('\n', result.Diagnostics));
        Assert.AreEqual((2, 1), (unknown[0].Position.Line, unknown[0].Position.Column));
        StringAssert.Contains(unknown[0].Message, "did you mean `sequence`?");
        Assert.AreEqual((6, 9), (unknown[1].Position.Line, unknown[1].Position.Column));
        StringAssert.Contains(unknown[1].Message, "unknown key `comand`");
        StringAssert.Contains(unknown[1].Message, "did you mean `command`?");
        Assert.AreEqual((8, 9), (unknown[2].Position.Line, unknown[2].Position.Column));
        StringAssert.Contains(unknown[2].Message, "did you mean `timeout`?");
        Assert.AreEqual((9, 9), (unknown[3].Position.Line, unknown[3].Position.Column));
        StringAssert.Contains(unknown[3].Message, "allowed keys: name, command, timeout, env, on_host");
        Assert.AreEqual((10, 15), (unknown[4].Position.Line, unknown[4].Position.Column));
        StringAssert.Contains(unknown[4].Message, "did you mean `total`?");
        Assert.AreEqual((11, 40), (unknown[5].Position.Line, unknown[5].Position.Column));
        Assert.IsNull(result.Spec);
    }

    [TestMethod]
    public void Wrong_types_are_reported_at_the_value()
    {
        var result = SpecAssert.Load("""
            name: [a]
            requires: { tags: wifi }
            sequence:
              - tests:
                  - name: { a: 1 }
                    command: { run: x }
                    on_host: maybe
                    env: [A=1]
                  - name: b
                    command: [x, [y]]
              - tests: { name: c, command: [x] }
              - just-a-string
            """);
        var wrong = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.WrongType)
            .Select(d => (d.Position.Line, d.Position.Column)).ToArray();
        CollectionAssert.AreEqual(
            new[] { (1, 7), (2, 19), (5, 15), (6, 18), (7, 18), (8, 14), (10, 22), (11, 12), (12, 5) },
            wrong,
            string.Join('\n', result.Diagnostics));
        Assert.HasCount(9, result.Diagnostics);
    }

    [TestMethod]
    public void Empty_values_are_errors()
    {
        var result = SpecAssert.Load("""
            sequence:
              - tests:
                  - name: ''
                    command: []
                  - name: b
                    command: '  '
                  - name: c
                    command: [x, ~]
                  - name:
                    command: ['', x]
                    timeout:
                    env: { A: }
            """);
        var empty = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.EmptyValue)
            .Select(d => (d.Position.Line, d.Position.Column)).ToArray();
        CollectionAssert.AreEqual(
            new[] { (3, 15), (4, 18), (6, 18), (8, 22), (9, 14), (10, 19), (11, 17), (12, 19) },
            empty,
            string.Join('\n', result.Diagnostics));
    }

    [TestMethod]
    public void Environment_names_must_be_valid()
    {
        SpecAssert.Only("sequence:\n  - tests:\n      - name: a\n        command: [x]\n        env: { 1BAD: x }\n",
            SpecErrorCodes.BadEnvironmentName, 5, 16);
    }

    [TestMethod]
    [DataRow("90s", 90)]
    [DataRow("5m", 300)]
    [DataRow("1h30m", 5400)]
    [DataRow("1h30m15s", 5415)]
    [DataRow("01:30:00", 5400)]
    [DataRow("1:30:00", 5400)]
    [DataRow("45", 45)]
    [DataRow("'120'", 120)]
    public void Timeouts_accept_the_documented_forms(string written, int seconds)
    {
        var spec = SpecAssert.Valid($"sequence:\n  - tests:\n      - name: a\n        command: [x]\n        timeout: {written}\n");
        Assert.AreEqual(TimeSpan.FromSeconds(seconds), spec.AllTests.Single().Timeout);
    }

    [TestMethod]
    [DataRow("abc", "DT0026")]
    [DataRow("5 minutes", "DT0026")]
    [DataRow("1.5m", "DT0026")]
    [DataRow("90:00", "DT0026")]
    [DataRow("0s", "DT0025")]
    [DataRow("0", "DT0025")]
    [DataRow("-5s", "DT0025")]
    [DataRow("[5s]", "DT0021")]
    public void Bad_timeouts_are_errors(string written, string code)
    {
        SpecAssert.Only($"sequence:\n  - tests:\n      - name: a\n        command: [x]\n        timeout: {written}\n", code, 5, 18);
    }

    [TestMethod]
    public void Every_problem_of_a_file_is_reported_in_one_pass_in_file_order()
    {
        var result = SpecAssert.Load("""
            sequence:
              - tests:
                  - name: a
                    comand: [x]
                  - name: b
                    command: [x]
                    timeout: soon
                repeat: { total: -5 }
              - reboot: { command: [] }
            """);
        var summary = result.Diagnostics.Select(d => $"{d.Position.Line}:{d.Position.Column} {d.Code}").ToArray();
        CollectionAssert.AreEqual(
            new[] { "3:9 DT0022", "4:9 DT0020", "7:18 DT0026", "8:22 DT0025", "9:24 DT0023" },
            summary,
            string.Join('\n', result.Diagnostics));
        Assert.IsNull(result.Spec);
        Assert.IsTrue(result.HasErrors);
    }

    [TestMethod]
    public void Yaml_syntax_errors_carry_the_parser_position()
    {
        var diagnostic = SpecAssert.Only("sequence:\n  - tests: [ { name: a, command: [x] }\n  - reboot: x\n", SpecErrorCodes.Syntax, 3, 3);
        StringAssert.StartsWith(diagnostic.Message, "YAML syntax error: ");
        var unterminated = SpecAssert.Only("name: 'open\n", SpecErrorCodes.Syntax, 1, 7);
        StringAssert.Contains(unterminated.Message, "quoted scalar");
    }

    [TestMethod]
    public void Duplicate_keys_and_several_documents_are_errors()
    {
        var duplicate = SpecAssert.Only("name: a\nname: b\nsequence: []\n", SpecErrorCodes.DuplicateKey, 2, 1);
        StringAssert.Contains(duplicate.Message, "`name`");
        var result = SpecAssert.Load("sequence: []\n---\nsequence: []\n");
        SpecAssert.Has(result, SpecErrorCodes.MultipleDocuments, 3, 1);
    }

    [TestMethod]
    public void A_syntax_error_or_deep_nesting_later_in_the_file_wins_over_an_earlier_duplicate_key()
    {
        // The whole text is checked before the nodes are built: one error, the one that makes the file unreadable.
        SpecAssert.Only("name: a\nname: b\nsequence:\n  - tests: [ { name: a, command: [x] }\n  - reboot: x\n", SpecErrorCodes.Syntax, 5, 3);
        var deep = SpecAssert.Only("name: a\nname: b\nsequence: " + new string('[', 100) + new string(']', 100) + "\n", SpecErrorCodes.Syntax, 3, 74);
        StringAssert.Contains(deep.Message, "nested more than 64 levels");
        var duplicateAfterDeep = SpecAssert.Only("name: a\nsequence: " + new string('[', 100) + new string(']', 100) + "\nname: b\n", SpecErrorCodes.Syntax, 2, 74);
        StringAssert.Contains(duplicateAfterDeep.Message, "nested more than 64 levels");
    }

    [TestMethod]
    public void Diagnostics_print_as_file_line_column_severity_code_message()
    {
        var result = SpecAssert.Load("sequence:\n  - tests:\n      - { name: a, comand: [x], command: [x] }\n", "specs/net.spec.yml");
        Assert.AreEqual(
            "specs/net.spec.yml:3:20: error DT0020: unknown key `comand` in a test; did you mean `command`?",
            result.Diagnostics.Single().ToString());
    }

    [TestMethod]
    public void Every_code_is_distinct_and_in_the_spec_range()
    {
        var codes = typeof(SpecErrorCodes).GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.HasCount(codes.Count, codes.Distinct());
        foreach (var code in codes)
        {
            StringAssert.Matches(code, new System.Text.RegularExpressions.Regex("^DT0[0-9]{3}$"));
        }
    }
}
