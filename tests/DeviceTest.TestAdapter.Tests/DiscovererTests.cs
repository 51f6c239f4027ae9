using System.Diagnostics;
using System.Text;
using DeviceTest.TestAdapter.Tests.Fakes;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Tests;

[TestClass]
public sealed class DiscovererTests
{
    private const string Smoke = """
        name: smoke test
        requires: { tags: [wifi, arm64] }
        sequence:
          - tests:
              - name: kernel version
                command: [uname, -a]
              - name: disk.free
                command: df -h
          - reboot: { command: /sbin/reboot }
          - tests:
              - name: kernel version
                command: [uname, -r]
        """;

    [TestMethod]
    public void Each_yaml_test_is_a_test_case_named_for_trx_and_junit_with_a_link_to_its_line()
    {
        using var project = new SpecProject();
        var path = project.AddSpec("specs/smoke.spec.yml", Smoke);

        var sink = Discover(project.Source);

        Assert.IsEmpty(sink.Warnings.ToList(), string.Join("\n", sink.Warnings));
        CollectionAssert.AreEqual(
            new[]
            {
                "DeviceTest.Specs.smoke_test.kernel_version_step_1",
                "DeviceTest.Specs.smoke_test.disk_free",
                "DeviceTest.Specs.smoke_test.kernel_version_step_3",
            },
            sink.TestCases.Select(t => t.FullyQualifiedName).ToArray());
        CollectionAssert.AreEqual(new[] { "kernel version", "disk.free", "kernel version" }, sink.TestCases.Select(t => t.DisplayName).ToArray());
        CollectionAssert.AreEqual(new[] { 5, 7, 11 }, sink.TestCases.Select(t => t.LineNumber).ToArray());
        Assert.IsTrue(sink.TestCases.All(t => t.CodeFilePath == path && t.Source == project.Source));
        Assert.IsTrue(sink.TestCases.All(t => t.ExecutorUri == new Uri("executor://DeviceTest/TestAdapter/v1")));
        Assert.IsEmpty(sink.Warnings.ToList());
    }

    [TestMethod]
    public void Traits_name_the_spec_the_step_and_the_tags()
    {
        using var project = new SpecProject();
        project.AddSpec("smoke.spec.yml", Smoke);

        var last = Discover(project.Source).TestCases[2];

        var traits = last.Traits.Select(t => $"{t.Name}={t.Value}").ToArray();
        CollectionAssert.AreEquivalent(new[] { "Spec=smoke test", "Step=3", "Tag=wifi", "Tag=arm64" }, traits);
    }

    [TestMethod]
    public void Ids_are_stable_across_machines_and_folders()
    {
        using var here = new SpecProject();
        using var there = new SpecProject();
        here.AddSpec("smoke.spec.yml", Smoke);
        there.AddSpec("other/place/smoke.spec.yml", Smoke);

        var a = Discover(here.Source).TestCases.Select(t => t.Id).ToArray();
        var b = Discover(there.Source).TestCases.Select(t => t.Id).ToArray();

        CollectionAssert.AreEqual(a, b);
        Assert.AreEqual(3, a.Distinct().Count());
    }

    [TestMethod]
    public void Specs_with_the_same_name_get_distinct_class_names()
    {
        using var project = new SpecProject();
        project.AddSpec("a/test-spec.yml", "name: board\nsequence:\n  - tests:\n      - name: t\n        command: 'true'\n");
        project.AddSpec("b/test-spec.yml", "name: board\nsequence:\n  - tests:\n      - name: t\n        command: 'true'\n");

        var names = Discover(project.Source).TestCases.Select(t => t.FullyQualifiedName).ToArray();

        CollectionAssert.AreEqual(new[] { "DeviceTest.Specs.board.t", "DeviceTest.Specs.board_2.t" }, names);
    }

    [TestMethod]
    public void A_spec_with_errors_is_reported_with_file_line_and_column_and_the_others_are_still_discovered()
    {
        using var project = new SpecProject();
        project.AddSpec("good.spec.yml", "sequence:\n  - tests:\n      - name: fine\n        command: 'true'\n");
        var bad = project.AddSpec("bad.spec.yml", "sequence:\n  - tests:\n      - name: broken\n        comand: 'true'\n");

        var sink = Discover(project.Source);

        Assert.AreEqual("fine", sink.TestCases.Single().DisplayName);
        var warnings = sink.Warnings.ToList();
        Assert.IsTrue(warnings.Any(w => w.StartsWith($"{bad}:4:", StringComparison.Ordinal) && w.Contains("comand", StringComparison.Ordinal)), string.Join("\n", warnings));
        Assert.IsEmpty(sink.Errors.ToList());
    }

    [TestMethod]
    public void Many_specs_are_named_and_reported_in_the_order_the_build_lists_them()
    {
        using var project = new SpecProject();
        var expectedNames = new List<string>();
        var expectedWarnings = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            switch (i % 4)
            {
                case 3:
                    var bad = project.AddSpec($"s{i:D2}.spec.yml", $"name: board\nsequence:\n  - tests:\n      - name: t{i}\n");
                    expectedWarnings.Add($"{bad}:4:9: error DT0022: a test has no `command`; it is required");
                    expectedWarnings.Add($"{bad}: the spec has errors; its tests are left out until they are fixed.");
                    break;
                case 2:
                    project.Specs.Add($"gone{i:D2}.spec.yml");
                    expectedWarnings.Add(
                        $"{Path.Combine(project.Directory, $"gone{i:D2}.spec.yml")}: the spec listed by the build does not exist " +
                        "(DeviceTestSpec item). Rebuild the test project or fix the item.");
                    break;
                default:
                    project.AddSpec($"s{i:D2}.spec.yml", $"name: board\nsequence:\n  - tests:\n      - name: t{i}\n        command: 'true'\n");
                    expectedNames.Add($"DeviceTest.Specs.{(expectedNames.Count == 0 ? "board" : $"board_{expectedNames.Count + 1}")}.t{i}");
                    break;
            }
        }

        project.WriteManifest();
        var sink = Discover(project.Source);

        CollectionAssert.AreEqual(expectedNames, sink.TestCases.Select(t => t.FullyQualifiedName).ToList());
        CollectionAssert.AreEqual(expectedWarnings, sink.Warnings.ToList());
    }

    [TestMethod]
    public void Ids_are_vstests_hash_of_the_executor_the_dll_name_and_the_fully_qualified_name()
    {
        using var project = new SpecProject();
        project.AddSpec("smoke.spec.yml", Smoke);

        var testCase = Discover(project.Source).TestCases[0];

        var key = "executor://DeviceTest/TestAdapter/v1" + "My.Tests.dll" + testCase.FullyQualifiedName;
#pragma warning disable CA5350 // VSTest's id algorithm.
        var hash = System.Security.Cryptography.SHA1.HashData(Encoding.Unicode.GetBytes(key));
#pragma warning restore CA5350
        Assert.AreEqual(new Guid(hash.AsSpan(0, 16)), testCase.Id);
    }

    [TestMethod]
    public void A_listed_spec_that_is_gone_is_a_warning()
    {
        using var project = new SpecProject();
        project.Specs.Add("gone.spec.yml");
        project.WriteManifest();

        var sink = Discover(project.Source);

        Assert.IsEmpty(sink.TestCases);
        Assert.IsTrue(sink.Warnings.Single().Contains("gone.spec.yml", StringComparison.Ordinal));
    }

    [TestMethod]
    public void A_dll_without_a_manifest_has_no_yaml_tests_and_no_complaint()
    {
        var sink = Discover(Path.Combine(Path.GetTempPath(), "no-such-project", "Other.Tests.dll"));

        Assert.IsEmpty(sink.TestCases);
        Assert.IsEmpty(sink.Messages);
    }

    [TestMethod]
    public void Ten_thousand_tests_in_a_hundred_specs_are_discovered_quickly()
    {
        using var project = new SpecProject();
        for (var s = 0; s < 100; s++)
        {
            var yaml = new StringBuilder("sequence:\n  - tests:\n");
            for (var t = 0; t < 100; t++)
            {
                yaml.Append("      - name: test ").Append(t).Append("\n        command: [echo, hi]\n");
            }

            project.AddSpec($"specs/s{s}.spec.yml", yaml.ToString());
        }

        Discover(project.Source); // warm-up: JIT and YAML parser caches
        var watch = Stopwatch.StartNew();
        var sink = Discover(project.Source);
        watch.Stop();

        Assert.HasCount(10_000, sink.TestCases);
        // The target is well under a second (tests/Benchmarks measures it); this bound only catches gross regressions
        // on a busy 2-core machine.
        Assert.IsLessThan(10_000, watch.ElapsedMilliseconds, $"discovery took {watch.ElapsedMilliseconds} ms");
    }

    private static RecordingSink Discover(string source)
    {
        var sink = new RecordingSink();
        new DeviceTestDiscoverer().DiscoverTests([source], new FakeRunContext(null, Path.GetTempPath()), sink, sink);
        return sink;
    }
}
