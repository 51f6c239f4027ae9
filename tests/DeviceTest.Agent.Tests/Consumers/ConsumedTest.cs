namespace DeviceTest.Agent.Tests.Consumers;

/// <summary>A test as a CI consumer of result files shows it: its name, the outcome it shows, its attachments.</summary>
/// <param name="Name">The name the consumer shows.</param>
/// <param name="Outcome">The consumer's own outcome word (Azure DevOps: Passed/Failed/NotExecuted/Inconclusive; GitHub reporters: success/failed/skipped/error).</param>
/// <param name="Attachments">Files the consumer would upload with the result (full paths).</param>
/// <param name="SubResults">Nested results the consumer shows under it (Azure DevOps' sub-results).</param>
internal sealed record ConsumedTest(string Name, string Outcome, IReadOnlyList<string> Attachments, IReadOnlyList<ConsumedTest> SubResults);
