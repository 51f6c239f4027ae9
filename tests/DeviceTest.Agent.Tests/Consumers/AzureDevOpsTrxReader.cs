using System.Globalization;
using System.Xml.Linq;

namespace DeviceTest.Agent.Tests.Consumers;

/// <summary>
/// What Azure DevOps' PublishTestResults@2 (testResultsFormat: VSTest) takes from a TRX, as the agent's TRX reader does
/// (microsoft/azure-pipelines-agent, TrxResultReader): only /TestRun/Results/UnitTestResult; a result is kept only with a
/// <c>testName</c> and a TestDefinitions entry (TestMethod className + name, or the UnitTest's name) for its
/// <c>testId</c>; outcome <c>Failed</c> (or none) is Failed, <c>Passed</c> Passed, <c>Inconclusive</c> Inconclusive and
/// anything else (NotExecuted, Timeout, Error...) NotExecuted; attachments are ResultFile paths under
/// <c>&lt;trx folder&gt;/&lt;runDeploymentRoot or trx name&gt;/In/&lt;executionId&gt;/</c>; InnerResults are sub-results.
/// </summary>
internal static class AzureDevOpsTrxReader
{
    /// <summary>The results Azure DevOps keeps, and the number of results it drops.</summary>
    public static (IReadOnlyList<ConsumedTest> Kept, int Dropped) Read(string trxPath)
    {
        var document = XDocument.Load(trxPath);
        var ns = document.Root!.Name.Namespace;
        var root = document.Root.Element(ns + "TestSettings")?.Element(ns + "Deployment")?.Attribute("runDeploymentRoot")?.Value
            ?? Path.GetFileNameWithoutExtension(trxPath);
        var attachmentLocation = Path.Combine(Path.GetDirectoryName(trxPath)!, root, "In");
        var definitions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var definition in document.Root.Element(ns + "TestDefinitions")?.Elements() ?? [])
        {
            var method = definition.Element(ns + "TestMethod");
            var name = method?.Attribute("className") is { } className && method.Attribute("name") is { } methodName
                ? className.Value.Split(',')[0] + "." + methodName.Value
                : definition.Attribute("name")?.Value;
            if (definition.Attribute("id")?.Value is { } id && name is not null)
            {
                definitions[id] = name;
            }
        }

        var kept = new List<ConsumedTest>();
        var dropped = 0;
        foreach (var result in document.Root.Element(ns + "Results")?.Elements(ns + "UnitTestResult") ?? [])
        {
            var title = result.Attribute("testName")?.Value;
            var testId = result.Attribute("testId")?.Value;
            if (string.IsNullOrEmpty(title) || testId is null || !definitions.ContainsKey(testId))
            {
                dropped++;
                continue;
            }

            kept.Add(Convert(result, ns, attachmentLocation));
        }

        return (kept, dropped);
    }

    private static ConsumedTest Convert(XElement result, XNamespace ns, string attachmentLocation)
    {
        _ = TimeSpan.TryParse(result.Attribute("duration")?.Value, CultureInfo.InvariantCulture, out _);
        var executionId = result.Attribute("executionId")?.Value;
        var attachments = executionId is null
            ? []
            : result.Element(ns + "ResultFiles")?.Elements(ns + "ResultFile")
                .Select(f => Path.Combine(attachmentLocation, executionId, f.Attribute("path")!.Value)).ToList() ?? [];
        var subResults = result.Element(ns + "InnerResults")?.Elements(ns + "UnitTestResult")
            .Select(inner => Convert(inner, ns, attachmentLocation)).ToList() ?? [];
        return new ConsumedTest(result.Attribute("testName")?.Value ?? string.Empty, Outcome(result.Attribute("outcome")?.Value), attachments, subResults);
    }

    private static string Outcome(string? outcome) => outcome switch
    {
        null => "Failed",
        _ when outcome.Equals("failed", StringComparison.OrdinalIgnoreCase) => "Failed",
        _ when outcome.Equals("passed", StringComparison.OrdinalIgnoreCase) => "Passed",
        _ when outcome.Equals("inconclusive", StringComparison.OrdinalIgnoreCase) => "Inconclusive",
        _ => "NotExecuted",
    };
}
