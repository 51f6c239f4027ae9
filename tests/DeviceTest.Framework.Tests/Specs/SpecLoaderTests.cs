using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>What a valid spec loads into: names, commands, repeat, timeouts, unique test names, the DeviceTest additions.</summary>
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
    public void Integers_beyond_64_bits_and_base_60_are_turned_into_text_as_PyYAML_reads_them()
    {
        var result = SpecAssert.Load("""
            sequence:
              - tests:
                  - name: numbers
                    command: [echo, 123456789012345678901234567890, -98_765_432_109_876_543_210, 190:20:30, -1:30, +0]
            """);
        Assert.IsFalse(result.HasErrors, string.Join('\n', result.Diagnostics));
        var tests = ((TestsStep)result.Spec!.Sequence[0]).Tests;
        CollectionAssert.AreEqual(
            new[] { "echo", "123456789012345678901234567890", "-98765432109876543210", "685230", "-90", "0" },
            tests[0].Command.Arguments!.ToArray());
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
}
