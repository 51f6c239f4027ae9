using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>fiotest's documented specs load unchanged and mean what they mean in fiotest.</summary>
[TestClass]
public sealed class FiotestExampleTests
{
    private const string Ltp = "/usr/share/fio-tests/ltp.sh";

    private static TestSpec LoadExample(string fileName)
    {
        var path = Path.Combine(RepoFiles.FiotestExamples, fileName);
        var result = SpecLoader.Load(path);
        Assert.IsEmpty(result.Diagnostics, string.Join('\n', result.Diagnostics));
        Assert.IsNotNull(result.Spec);
        Assert.AreEqual(path, result.Spec.FilePath);
        return result.Spec;
    }

    [TestMethod]
    public void Single_runs_ltp_once()
    {
        var spec = LoadExample("single.yml");
        Assert.AreEqual("single", spec.Name);
        Assert.IsEmpty(spec.RequiredTags);
        var step = (TestsStep)spec.Sequence.Single();
        Assert.IsNull(step.Repeat);
        var test = step.Tests.Single();
        Assert.AreEqual("ltp", test.Name);
        Assert.AreEqual("ltp", test.UniqueName);
        CollectionAssert.AreEqual(new[] { Ltp }, test.Command.Arguments!.ToArray());
        Assert.IsFalse(test.OnHost);
        Assert.IsNull(test.Timeout);
        Assert.AreEqual((4, 9), (test.Position.Line, test.Position.Column));
    }

    [TestMethod]
    public void Repeat_4_runs_four_times_five_seconds_apart()
    {
        var step = (TestsStep)LoadExample("repeat-4.yml").Sequence.Single();
        Assert.AreEqual(new RepeatPolicy(4, 5), step.Repeat);
        Assert.IsFalse(step.Repeat!.IsForever);
        CollectionAssert.AreEqual(new[] { Ltp }, step.Tests.Single().Command.Arguments!.ToArray());
    }

    [TestMethod]
    public void Soak_repeats_forever_ten_minutes_apart()
    {
        var step = (TestsStep)LoadExample("soak.yml").Sequence.Single();
        Assert.AreEqual(-1, step.Repeat!.Total);
        Assert.IsTrue(step.Repeat.IsForever);
        Assert.AreEqual(600, step.Repeat.DelaySeconds);
    }

    [TestMethod]
    public void Reboot_runs_ltp_reboots_and_runs_ltp_again()
    {
        var spec = LoadExample("reboot.yml");
        Assert.HasCount(3, spec.Sequence);
        var first = (TestsStep)spec.Sequence[0];
        var reboot = (RebootStep)spec.Sequence[1];
        var second = (TestsStep)spec.Sequence[2];
        Assert.AreEqual("/sbin/reboot", reboot.Command.ToShellString());
        Assert.AreEqual("/sbin/reboot", reboot.Command.ShellText);
        Assert.IsNull(reboot.Timeout);
        Assert.AreEqual((7, 5), (reboot.Position.Line, reboot.Position.Column));
        Assert.AreEqual(1, reboot.Index);
        Assert.AreEqual("ltp (step 1)", first.Tests.Single().UniqueName);
        Assert.AreEqual("ltp (step 3)", second.Tests.Single().UniqueName);
        Assert.AreEqual(2, second.Tests.Single().StepIndex);
        Assert.IsNull(first.Repeat);
        Assert.IsNull(second.Repeat);
    }

    [TestMethod]
    public void Fiotests_own_test_spec_loads_with_its_meaning()
    {
        // fiotest's test-spec.yml (as described in its repository): on_host tests, a /bin/true reboot, and
        // `sleep 10` with an int argument repeated 4 times 3 s apart.
        var result = SpecLoader.LoadText("""
            sequence:
              - tests:
                  - name: dmesg
                    command: [/bin/dmesg]
                    on_host: true
                  - name: uptime
                    command: [/usr/bin/uptime]
                    on_host: true
              - reboot:
                  command: [/bin/true]
              - tests:
                  - name: sleep
                    command: [/bin/sleep, 10]
                repeat:
                  total: 4
                  delay_seconds: 3
            """, "test-spec.yml");
        Assert.IsEmpty(result.Diagnostics, string.Join('\n', result.Diagnostics));
        var spec = result.Spec!;
        Assert.AreEqual("test-spec", spec.Name);
        Assert.IsTrue(spec.AllTests.Take(2).All(t => t.OnHost));
        CollectionAssert.AreEqual(new[] { "/bin/true" }, ((RebootStep)spec.Sequence[1]).Command.Arguments!.ToArray());
        var sleep = (TestsStep)spec.Sequence[2];
        CollectionAssert.AreEqual(new[] { "/bin/sleep", "10" }, sleep.Tests.Single().Command.Arguments!.ToArray());
        Assert.AreEqual(new RepeatPolicy(4, 3), sleep.Repeat);
    }
}
