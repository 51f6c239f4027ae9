using System.Xml.Linq;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>Reads what JUnit and TRX files say, for assertions.</summary>
internal static class ResultFiles
{
    public static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static int Attribute(XElement element, string name) =>
        int.Parse(element.Attribute(name)?.Value ?? throw new AssertFailedException($"<{element.Name.LocalName}> has no {name}"), System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<XElement> TestCases(XDocument junit) => [.. junit.Descendants("testcase")];

    public static XElement TestCase(XDocument junit, string name) =>
        junit.Descendants("testcase").SingleOrDefault(t => (string?)t.Attribute("name") == name)
        ?? throw new AssertFailedException($"no <testcase name=\"{name}\"> in\n{junit}");

    public static IReadOnlyList<XElement> TrxResults(XDocument trx) => [.. trx.Descendants(Trx + "UnitTestResult").Where(r => r.Parent?.Name == Trx + "Results")];

    public static XElement TrxCounters(XDocument trx) =>
        trx.Descendants(Trx + "Counters").SingleOrDefault() ?? throw new AssertFailedException("TRX has no Counters");

    /// <summary>JUnit totals: tests, failures, skipped on the root element, and the same sums over its test cases.</summary>
    public static void AssertJUnitCounts(XDocument junit, int tests, int failures, int skipped)
    {
        var root = junit.Root!;
        Assert.AreEqual("testsuites", root.Name.LocalName);
        Assert.AreEqual(tests, Attribute(root, "tests"), "testsuites/@tests");
        Assert.AreEqual(failures, Attribute(root, "failures"), "testsuites/@failures");
        Assert.AreEqual(skipped, Attribute(root, "skipped"), "testsuites/@skipped");
        var cases = TestCases(junit);
        Assert.HasCount(tests, cases);
        Assert.AreEqual(failures, cases.Count(c => c.Element("failure") is not null), "testcases with <failure>");
        Assert.AreEqual(skipped, cases.Count(c => c.Element("skipped") is not null), "testcases with <skipped>");
    }

    public static void AssertTrxCounts(XDocument trx, int total, int passed, int failed)
    {
        var counters = TrxCounters(trx);
        Assert.AreEqual(total, Attribute(counters, "total"), "Counters/@total");
        Assert.AreEqual(passed, Attribute(counters, "passed"), "Counters/@passed");
        Assert.AreEqual(failed, Attribute(counters, "failed"), "Counters/@failed");
        var results = TrxResults(trx);
        Assert.HasCount(total, results);
        Assert.AreEqual(passed, results.Count(r => (string?)r.Attribute("outcome") == "Passed"));
        Assert.AreEqual(failed, results.Count(r => (string?)r.Attribute("outcome") == "Failed"));
    }
}
