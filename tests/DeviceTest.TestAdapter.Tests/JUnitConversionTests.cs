using DeviceTest.Framework.Results;
using DeviceTest.TestAdapter.JUnit;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using FrameworkOutcome = DeviceTest.Framework.Results.TestOutcome;
using VsTestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;
using VsTestResult = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult;

namespace DeviceTest.TestAdapter.Tests;

[TestClass]
public sealed class JUnitConversionTests
{
    [TestMethod]
    [DataRow("DeviceTest.Specs.smoke.kernel", "DeviceTest.Specs.smoke", "kernel")]
    [DataRow("Ns.Type.Method(1.5, \"a.b\")", "Ns.Type", "Method(1.5, \"a.b\")")]
    [DataRow("NoDots", "", "NoDots")]
    public void Class_and_name_come_from_the_last_dot_of_the_fqn(string fqn, string suite, string name)
    {
        Assert.AreEqual((suite, name), VsTestResultConverter.SplitName(fqn));
    }

    [TestMethod]
    public void A_result_from_any_adapter_becomes_a_framework_result()
    {
        var testCase = new TestCase("Lab.Net.Ping.Gateway", new Uri("executor://other"), "/x/Lab.dll")
        {
            CodeFilePath = "/src/Ping.cs",
            LineNumber = 12,
        };
        testCase.Traits.Add("Category", "net");
        var result = new VsTestResult(testCase)
        {
            Outcome = VsTestOutcome.Failed,
            ErrorMessage = "no reply",
            ErrorStackTrace = "at Ping.Gateway()",
            Duration = TimeSpan.FromSeconds(2),
            StartTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };
        result.Messages.Add(new TestResultMessage(TestResultMessage.StandardOutCategory, "pinging"));
        result.Messages.Add(new TestResultMessage(TestResultMessage.StandardErrorCategory, "timeout"));
        var set = new AttachmentSet(new Uri("executor://other"), "files");
        set.Attachments.Add(new UriDataAttachment(new Uri("/tmp/ping.log"), "log"));
        set.Attachments.Add(new UriDataAttachment(new Uri("vm/relative.log", UriKind.Relative), "rewritten by trx"));
        result.Attachments.Add(set);

        var converted = VsTestResultConverter.Convert(result);

        Assert.AreEqual("Lab.Net.Ping", converted.SuiteName);
        Assert.AreEqual("Gateway", converted.Name);
        Assert.AreEqual(FrameworkOutcome.Failed, converted.Outcome);
        Assert.AreEqual("no reply", converted.Message);
        Assert.AreEqual("at Ping.Gateway()", converted.Details);
        Assert.AreEqual("pinging", converted.Stdout);
        Assert.AreEqual("timeout", converted.Stderr);
        Assert.AreEqual("/src/Ping.cs", converted.SourceFile);
        Assert.AreEqual(12, converted.SourceLine);
        CollectionAssert.AreEqual(new[] { "/tmp/ping.log" }, converted.Attachments.ToArray());
        Assert.AreEqual("net", converted.Properties.Single(p => p.Key == "Category").Value);
    }

    [TestMethod]
    public void Sub_results_survive_the_trip_as_json()
    {
        var sub = new SubResult
        {
            Name = "check-b",
            Outcome = FrameworkOutcome.Failed,
            LocalTimestamp = 1_700_000_001,
            Details = "b failed",
            Metrics = new Dictionary<string, double> { ["latency_ms"] = 1.5 },
        };

        var back = SubResultJson.Read(SubResultJson.Write([sub])).Single();

        Assert.AreEqual("check-b", back.Name);
        Assert.AreEqual(FrameworkOutcome.Failed, back.Outcome);
        Assert.AreEqual(1_700_000_001, back.LocalTimestamp);
        Assert.AreEqual("b failed", back.Details);
        Assert.AreEqual(1.5, back.Metrics["latency_ms"]);
        Assert.IsEmpty(SubResultJson.Read("not json"));
    }
}
