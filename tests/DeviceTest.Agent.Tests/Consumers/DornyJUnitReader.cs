using System.Xml.Linq;

namespace DeviceTest.Agent.Tests.Consumers;

/// <summary>
/// What dorny/test-reporter's <c>java-junit</c> reporter reads (src/parsers/java-junit): a <c>testsuites</c> root (or
/// one <c>testsuite</c>); every suite's <c>name</c> is trimmed, so a suite without one crashes the parser, and so does a
/// testcase without a name; <c>failure</c> or <c>error</c> is failed, <c>skipped</c> skipped, anything else success.
/// </summary>
internal static class DornyJUnitReader
{
    /// <exception cref="ConsumerRejectedException">The reporter would throw on this file.</exception>
    public static IReadOnlyList<ConsumedTest> Read(string junitPath)
    {
        var root = XDocument.Load(junitPath).Root!;
        var suites = root.Name.LocalName == "testsuites" ? root.Elements("testsuite") : [root];
        var tests = new List<ConsumedTest>();
        foreach (var suite in suites)
        {
            var suiteName = suite.Attribute("name")?.Value ?? throw new ConsumerRejectedException("a testsuite has no name");
            foreach (var testCase in suite.Elements("testcase"))
            {
                var name = testCase.Attribute("name")?.Value.Trim() ?? throw new ConsumerRejectedException($"a testcase of '{suiteName}' has no name");
                var outcome = testCase.Element("failure") is not null || testCase.Element("error") is not null
                    ? "failed"
                    : testCase.Element("skipped") is not null ? "skipped" : "success";
                tests.Add(new ConsumedTest(name, outcome, [], []));
            }
        }

        return tests;
    }
}
