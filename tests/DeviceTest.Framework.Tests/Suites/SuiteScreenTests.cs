using DeviceTest.Framework.Results;
using DeviceTest.Framework.Suites;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Framework.Tests.Suites.Samples;

namespace DeviceTest.Framework.Tests.Suites;

/// <summary>
/// C# suites on a device with a real screen and cable (<see cref="LabBench"/>): a screen mismatch fails the test with
/// the last frame, the difference picture and a screenshot attached; a cable a test left unplugged is plugged back
/// before the next test.
/// </summary>
[TestClass]
public sealed class SuiteScreenTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_mismatch_attaches_the_frames_and_a_cable_left_unplugged_is_plugged_back()
    {
        var bench = new LabBench();
        try
        {
            var reference = await bench.ReferenceAsync("bars.png", "smptebars");
            var results = Path.Combine(bench.Folder, "results");
            var runner = new SuiteRunner(new SuiteRunOptions { Services = new ScreenReferencePath(reference), ResultsDirectory = results });
            await using var device = new BenchDevice(new Doubles.RecordingDevice("board"), bench.Capabilities());

            var outcome = await runner.RunAsync(SuiteDiscoverer.Discover(typeof(ScreenSuite)).Suites.Single(), device, null, TestContext.CancellationToken);

            var unplugged = outcome.Single(r => r.Name == "Leaves_the_cable_unplugged");
            var mismatch = outcome.Single(r => r.Name == "Sees_another_picture");
            Assert.AreEqual(TestOutcome.Passed, unplugged.Outcome);
            StringAssert.Contains(unplugged.Stdout, "the test left the network link of device 'board' down; it was brought back up");
            CollectionAssert.AreEqual(new[] { "link down", "link up" }, bench.Lines.ToArray());
            Assert.AreEqual(TestOutcome.Failed, mismatch.Outcome);
            StringAssert.StartsWith(mismatch.Message, "the screen did not match bars.png within 1s");
            CollectionAssert.AreEqual(
                new[] { "screen-last.png", "screen-difference.png", "screen.png" },
                mismatch.Attachments.Select(Path.GetFileName).ToArray());
            Assert.IsTrue(mismatch.Attachments.All(File.Exists));
            StringAssert.StartsWith(mismatch.Attachments[0], Path.Combine(results, "DeviceTest.Framework.Tests.Suites.Samples.ScreenSuite", "Sees_another_picture"));
        }
        finally
        {
            bench.Delete();
        }
    }
}
