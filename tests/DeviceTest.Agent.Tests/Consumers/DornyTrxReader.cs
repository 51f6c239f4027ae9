using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DeviceTest.Agent.Tests.Consumers;

/// <summary>
/// What dorny/test-reporter's <c>dotnet-trx</c> reporter reads (src/parsers/dotnet-trx): the top-level results only,
/// each looked up by <c>testId</c> in TestDefinitions (a missing definition crashes the parser) and grouped by
/// TestMethod <c>className</c>; <c>testName</c> is required; the duration must be <c>hh:mm:ss[.f]</c> with two-digit
/// hours and the run's Times <c>start</c>/<c>finish</c> ISO dates with a fraction and an offset, or the report fails;
/// outcomes Passed, NotExecuted and Failed map to success, skipped and failed, any other has no result.
/// </summary>
internal static partial class DornyTrxReader
{
    /// <exception cref="ConsumerRejectedException">The reporter would throw on this file.</exception>
    public static IReadOnlyList<ConsumedTest> Read(string trxPath)
    {
        var document = XDocument.Load(trxPath);
        var ns = document.Root!.Name.Namespace;
        var times = document.Root.Element(ns + "Times") ?? throw new ConsumerRejectedException("no Times element");
        foreach (var name in new[] { "start", "finish" })
        {
            if (!IsoDate().IsMatch(times.Attribute(name)?.Value ?? string.Empty))
            {
                throw new ConsumerRejectedException($"Times/@{name} '{times.Attribute(name)?.Value}' is not an ISO date with a fraction and an offset");
            }
        }

        var definitions = document.Root.Element(ns + "TestDefinitions")?.Elements(ns + "UnitTest")
            .ToDictionary(u => u.Attribute("id")!.Value, StringComparer.Ordinal) ?? [];
        var tests = new List<ConsumedTest>();
        foreach (var result in document.Root.Element(ns + "Results")?.Elements(ns + "UnitTestResult") ?? [])
        {
            var testId = result.Attribute("testId")?.Value ?? string.Empty;
            if (!definitions.TryGetValue(testId, out var definition))
            {
                throw new ConsumerRejectedException($"result '{result.Attribute("testName")?.Value}' has no UnitTest definition (testId {testId})");
            }

            var className = definition.Element(ns + "TestMethod")?.Attribute("className")?.Value ?? "Unclassified";
            var testName = result.Attribute("testName")?.Value ?? throw new ConsumerRejectedException($"a result of {className} has no testName");
            if (result.Attribute("duration")?.Value is { } duration && !NetDuration().IsMatch(duration))
            {
                throw new ConsumerRejectedException($"duration '{duration}' of '{testName}' is not hh:mm:ss");
            }

            var name = testName.StartsWith(className + ".", StringComparison.Ordinal) ? testName[(className.Length + 1)..] : testName;
            var outcome = result.Attribute("outcome")?.Value switch
            {
                "Passed" => "success",
                "NotExecuted" => "skipped",
                "Failed" => "failed",
                _ => "(none)",
            };
            tests.Add(new ConsumedTest(name, outcome, [], []));
        }

        return tests;
    }

    [GeneratedRegex(@"^(\d\d):(\d\d):(\d\d(?:\.\d+)?)$")]
    private static partial Regex NetDuration();

    [GeneratedRegex(@"^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d\.\d+([+-][0-2]\d:[0-5]\d|Z)$")]
    private static partial Regex IsoDate();
}
