using DeviceTest.TestAdapter.Execution;
using DeviceTest.Framework.Leasing;
using DeviceTest.TestAdapter.Tests.Fakes;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using TestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;
using TestResult = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// A spec's <c>requires.tags</c> steers it to a device of the pool that has them, or skips it with the reason; the
/// sub-results a test writes under TEST_DIR come back as child results that name their parent's execution id.
/// </summary>
[TestClass]
public sealed class RoutingAndSubResultTests
{
    private const string Devices = """
        devices:
          board-a:
            tags: [pool]
            ssh: { host: 127.0.0.1, user: root }
          board-b:
            tags: [pool, wifi]
            ssh: { host: 127.0.0.1, user: root }
          board-c:
            tags: [pool, wifi, camera]
            ssh: { host: 127.0.0.1, user: root }
        """;

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    public void A_spec_that_requires_tags_runs_on_a_device_of_the_pool_that_has_them(int parallel)
    {
        using var project = new SpecProject();
        project.AddSpec("plain.spec.yml", Spec("plain", requires: null));
        project.AddSpec("wifi.spec.yml", Spec("wifi", requires: "wifi"));
        project.AddSpec("camera.spec.yml", Spec("camera", requires: "camera, wifi"));
        project.AddSpec("plain2.spec.yml", Spec("plain2", requires: null));
        var sink = new RecordingSink();

        Executor(project).RunTests([project.Source], Context(project, $"<Tags>pool</Tags><Parallel>{parallel}</Parallel>"), sink);

        Assert.IsEmpty(sink.Errors.ToList(), string.Join("\n", sink.Errors));
        Assert.HasCount(4, sink.Results);
        Assert.IsTrue(sink.Results.All(r => r.Outcome == TestOutcome.Passed), string.Join("\n", sink.Results.Select(r => $"{r.TestCase.FullyQualifiedName}: {r.Outcome} {r.ErrorMessage}")));
        CollectionAssert.Contains(new[] { "board-b", "board-c" }, Device(sink, "wifi"));
        Assert.AreEqual("board-c", Device(sink, "camera"));
    }

    [TestMethod]
    public void A_spec_whose_tags_no_device_of_the_pool_has_is_skipped_with_the_reason_and_the_others_run()
    {
        using var project = new SpecProject();
        project.AddSpec("plain.spec.yml", Spec("plain", requires: null));
        project.AddSpec("gpu.spec.yml", Spec("gpu", requires: "gpu"));
        var sink = new RecordingSink();

        Executor(project).RunTests([project.Source], Context(project, "<Tags>pool</Tags><Parallel>2</Parallel>"), sink);

        Assert.AreEqual(TestOutcome.Passed, Result(sink, "plain").Outcome);
        var skipped = Result(sink, "gpu");
        Assert.AreEqual(TestOutcome.Skipped, skipped.Outcome);
        StringAssert.Contains(skipped.ErrorMessage, "requires tags: gpu");
        StringAssert.Contains(skipped.ErrorMessage, "'board-a' [pool]");
        StringAssert.Contains(skipped.ErrorMessage, "'board-c' [pool, wifi, camera]");
    }

    [TestMethod]
    public void On_one_named_device_without_the_tags_the_spec_is_skipped_naming_the_device()
    {
        using var project = new SpecProject();
        project.AddSpec("wifi.spec.yml", Spec("wifi", requires: "wifi"));
        var sink = new RecordingSink();

        Executor(project).RunTests([project.Source], Context(project, "<Device>board-a</Device>"), sink);

        var skipped = Result(sink, "wifi");
        Assert.AreEqual(TestOutcome.Skipped, skipped.Outcome);
        StringAssert.Contains(skipped.ErrorMessage, "requires tags: wifi; the run's device 'board-a' [pool] does not have them");
    }

    [TestMethod]
    public void Sub_results_become_child_results_of_their_test_in_order_with_their_own_outcomes()
    {
        using var project = new SpecProject();
        project.AddSpec("subs.spec.yml", """
            name: subs
            sequence:
              - tests:
                  - name: checks
                    command: >-
                      mkdir -p "$TEST_DIR/1700000000-first" "$TEST_DIR/1700000001-second" "$TEST_DIR/1700000002-third" &&
                      touch "$TEST_DIR/1700000001-second/failed" && echo "second broke" > "$TEST_DIR/1700000001-second/log" &&
                      touch "$TEST_DIR/1700000002-third/skipped"
                  - name: plain
                    command: 'true'
            """);
        var sink = new RecordingSink();

        Executor(project).RunTests([project.Source], Context(project, string.Empty), sink);

        var parent = sink.Result("checks");
        Assert.AreEqual(TestOutcome.Passed, parent.Outcome);
        var children = sink.Children(parent);
        CollectionAssert.AreEqual(new[] { "first", "second", "third" }, children.Select(c => c.DisplayName).ToArray());
        CollectionAssert.AreEqual(
            new[] { TestOutcome.Passed, TestOutcome.Failed, TestOutcome.Skipped },
            children.Select(c => c.Outcome).ToArray());
        Assert.IsTrue(children.All(c => c.TestCase.Id == parent.TestCase.Id));
        StringAssert.Contains(children[1].ErrorMessage, "sub-result 'second' of 'checks' failed");
        StringAssert.Contains(string.Concat(children[1].Messages.Select(m => m.Text)), "second broke");
        Assert.IsEmpty(sink.Children(sink.Result("plain")));
        Assert.HasCount(5, sink.Results);
        // Each parent comes before its children.
        Assert.AreEqual(0, sink.Results.IndexOf(parent));
    }

    private static string Spec(string name, string? requires) =>
        $"name: {name}\n" + (requires is null ? string.Empty : $"requires: {{ tags: [{requires}] }}\n") +
        "sequence:\n  - tests:\n      - name: t\n        command: 'true'\n";

    private static TestResult Result(RecordingSink sink, string spec) =>
        sink.Results.Single(r => r.TestCase.FullyQualifiedName == $"DeviceTest.Specs.{spec}.t");

    private static string Device(RecordingSink sink, string spec) => Result(sink, spec).ComputerName!;

    private static DeviceTestExecutor Executor(SpecProject project)
    {
        File.WriteAllText(Path.Combine(project.Directory, "devices.yml"), Devices);
        return new DeviceTestExecutor(new AdapterServices
        {
            Leases = new LeaseDirectory(Path.Combine(project.Directory, "leases")),
            Devices = new RenamedDevice.Provider(),
        });
    }

    private static FakeRunContext Context(SpecProject project, string deviceTestXml) =>
        new($"<RunSettings><DeviceTest>{deviceTestXml}</DeviceTest></RunSettings>", Path.Combine(project.Directory, "TestResults"));
}
