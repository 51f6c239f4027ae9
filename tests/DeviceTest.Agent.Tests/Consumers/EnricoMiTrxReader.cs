using System.Xml.Linq;

namespace DeviceTest.Agent.Tests.Consumers;

/// <summary>
/// What EnricoMi/publish-unit-test-result-action makes of a TRX (its trx-to-junit transform): every UnitTestResult,
/// nested ones included, becomes a testcase when TestDefinitions has its <c>testId</c> (otherwise it is counted but not
/// listed); an outcome containing Passed passes, Failed fails, Error (or none) is an error, and any other outcome
/// (NotExecuted, Timeout, Aborted...) is skipped; the name is <c>testName</c> without a leading <c>className.</c>.
/// </summary>
internal static class EnricoMiTrxReader
{
    /// <summary>The testcases it lists, and how many results it counts.</summary>
    public static (IReadOnlyList<ConsumedTest> Listed, int Counted) Read(string trxPath)
    {
        var document = XDocument.Load(trxPath);
        var ns = document.Root!.Name.Namespace;
        var definitions = document.Descendants(ns + "TestDefinitions").Elements(ns + "UnitTest")
            .ToDictionary(u => u.Attribute("id")!.Value, StringComparer.Ordinal);
        var results = document.Descendants(ns + "UnitTestResult").Where(r => r.Attribute("testId") is not null).ToList();
        var listed = new List<ConsumedTest>();
        foreach (var result in results)
        {
            if (!definitions.TryGetValue(result.Attribute("testId")!.Value, out var definition))
            {
                continue;
            }

            var className = (definition.Element(ns + "TestMethod")?.Attribute("className")?.Value ?? string.Empty).Split(',')[0];
            var testName = result.Attribute("testName")?.Value ?? string.Empty;
            var name = testName.StartsWith(className + ".", StringComparison.Ordinal) ? testName[(className.Length + 1)..] : testName;
            var outcome = result.Attribute("outcome")?.Value ?? "Error";
            var shown = outcome.Contains("Failed", StringComparison.Ordinal) ? "failed"
                : outcome.Contains("Error", StringComparison.Ordinal) ? "error"
                : outcome.Contains("Passed", StringComparison.Ordinal) ? "success"
                : "skipped";
            listed.Add(new ConsumedTest(name, shown, [], []));
        }

        return (listed, results.Count);
    }
}
