using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware.Local;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>RunOptions.StartAt, BeforeTest and BeforeReboot: what the on-device agent needs to resume after a reboot.</summary>
[TestClass]
public sealed class ResumeTests
{
    private const string Spec = """
        sequence:
          - tests:
              - name: a
                command: [sh, -c, "exit 0"]
              - name: b
                command: [sh, -c, "exit 0"]
            repeat: { total: 3, delay_seconds: 0 }
          - reboot: { command: "true" }
          - tests:
              - name: c
                command: [sh, -c, "exit 0"]
        """;

    [TestMethod]
    public async Task StartAt_resumes_inside_a_repeated_step_and_keeps_counting_iterations()
    {
        var spec = SpecLoader.LoadText(Spec, "resume.spec.yml").Spec!;
        var positions = new List<string>();
        var reboots = new List<int>();
        var observer = new RecordingObserver();
        var options = new RunOptions
        {
            StartAt = new RunPosition(0, 1, 2),
            BeforeTest = (starting, _) =>
            {
                var at = starting.Position;
                positions.Add($"{starting.Test!.Name}@{at.StepIndex}/{at.TestIndex}/{at.Iteration}");
                return Task.CompletedTask;
            },
            BeforeReboot = (reboot, _) =>
            {
                reboots.Add(reboot.Index);
                positions.Add("reboot");
                return Task.CompletedTask;
            },
        };

        await using var device = new LocalDevice();
        var outcome = await new SpecRunner(device, options, observer).RunAsync(spec, CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "b@0/1/2", "a@0/0/3", "b@0/1/3", "reboot", "c@2/0/1" }, positions);
        CollectionAssert.AreEqual(new[] { "b #2", "a #3", "b #3", "c" }, observer.Results.Select(r => r.DisplayName).ToArray());
        CollectionAssert.AreEqual(new[] { 1 }, reboots);
        Assert.AreEqual(4, outcome.Passed);
    }

    [TestMethod]
    public async Task StartAt_after_a_reboot_step_runs_only_what_follows_it()
    {
        var spec = SpecLoader.LoadText(Spec, "resume.spec.yml").Spec!;
        var observer = new RecordingObserver();
        var called = false;
        var options = new RunOptions
        {
            StartAt = new RunPosition(2, 0, 1),
            BeforeReboot = (_, _) =>
            {
                called = true;
                return Task.CompletedTask;
            },
        };

        await using var device = new LocalDevice();
        await new SpecRunner(device, options, observer).RunAsync(spec, CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "c" }, observer.Results.Select(r => r.DisplayName).ToArray());
        Assert.IsFalse(called, "the reboot before the start position does not run again");
    }

    [TestMethod]
    public async Task A_failing_BeforeReboot_hook_ends_the_run_without_rebooting()
    {
        var spec = SpecLoader.LoadText(Spec, "resume.spec.yml").Spec!;
        var observer = new RecordingObserver();
        var options = new RunOptions
        {
            StartAt = new RunPosition(1, 0, 1),
            BeforeReboot = (_, _) => throw new IOException("disk full"),
        };

        await using var device = new LocalDevice();
        await Assert.ThrowsExactlyAsync<IOException>(() => new SpecRunner(device, options, observer).RunAsync(spec, CancellationToken.None));
        Assert.IsEmpty(observer.StepOutcomes);
        Assert.IsEmpty(observer.Results);
    }

    [TestMethod]
    public async Task AfterReboot_runs_once_the_device_is_back_and_before_the_next_test()
    {
        var spec = SpecLoader.LoadText(Spec, "resume.spec.yml").Spec!;
        var observer = new RecordingObserver();
        var order = new List<string>();
        var options = new RunOptions
        {
            StartAt = new RunPosition(1, 0, 1),
            BeforeTest = (starting, _) =>
            {
                order.Add("test " + starting.Test!.Name);
                return Task.CompletedTask;
            },
            AfterReboot = (reboot, _) =>
            {
                order.Add($"after reboot {reboot.Index} ({observer.StepOutcomes.Count} reported)");
                return Task.CompletedTask;
            },
        };

        await using var device = new RecordingDevice();
        await new SpecRunner(device, options, observer).RunAsync(spec, CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "after reboot 1 (1 reported)", "test c" }, order);
        Assert.AreEqual("Passed", observer.Results.Single().Outcome.ToString());
    }

    [TestMethod]
    public async Task A_failing_AfterReboot_hook_fails_the_remaining_tests_with_its_message()
    {
        var spec = SpecLoader.LoadText(Spec, "resume.spec.yml").Spec!;
        var observer = new RecordingObserver();
        var options = new RunOptions
        {
            StartAt = new RunPosition(1, 0, 1),
            AfterReboot = (_, _) => throw new InvalidOperationException("DT2021: device 'double' is out of disk space"),
        };

        await using var device = new RecordingDevice();
        var outcome = await new SpecRunner(device, options, observer).RunAsync(spec, CancellationToken.None);

        var c = observer.Results.Single();
        Assert.AreEqual("Failed", c.Outcome.ToString());
        StringAssert.Contains(c.Message, "the device came back after reboot at resume.spec.yml:");
        StringAssert.Contains(c.Message, "but DT2021: device 'double' is out of disk space");
        Assert.AreEqual(1, outcome.Failed);
        Assert.AreEqual(StepStatus.Succeeded, observer.StepOutcomes.Single().Status, "the reboot itself succeeded");
    }
}
