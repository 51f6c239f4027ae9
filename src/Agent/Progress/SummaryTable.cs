using System.Globalization;
using System.Text;
using DeviceTest.Framework.Results;

namespace DeviceTest.Agent.Progress;

/// <summary>
/// Per-test totals for the end-of-run table. One row per distinct test (not per iteration), so a soak run of
/// thousands of iterations keeps this small.
/// </summary>
internal sealed class SummaryTable
{
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly List<Row> _order = [];

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    public int Total => Passed + Failed + Skipped;

    /// <summary>Sub-results (fiotest's TEST_DIR protocol) that failed, in tests that themselves may have passed.</summary>
    public int FailedSubResults { get; private set; }

    public void Add(TestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!_rows.TryGetValue(result.TestId, out var row))
        {
            row = new Row(result.SuiteName, result.Name);
            _rows.Add(result.TestId, row);
            _order.Add(row);
        }

        row.Duration += result.Duration;
        FailedSubResults += result.SubResults.Count(sub => sub.Outcome == TestOutcome.Failed);
        switch (result.Outcome)
        {
            case TestOutcome.Passed:
                row.Passed++;
                Passed++;
                break;
            case TestOutcome.Failed:
                row.Failed++;
                Failed++;
                row.LastFailure = result.Message;
                break;
            default:
                row.Skipped++;
                Skipped++;
                break;
        }
    }

    public string Render()
    {
        var builder = new StringBuilder();
        if (_order.Count == 0)
        {
            return "No tests ran." + Environment.NewLine;
        }

        var nameWidth = Math.Clamp(_order.Max(r => r.Suite.Length + 3 + r.Name.Length), 10, 60);
        builder.Append(CultureInfo.InvariantCulture, $"  {"test".PadRight(nameWidth)}  {"result",-6}  {"runs",5}  {"passed",6}  {"failed",6}  {"skipped",7}  {"time",8}").AppendLine();
        foreach (var row in _order)
        {
            var name = $"{row.Suite} > {row.Name}";
            if (name.Length > nameWidth)
            {
                name = string.Concat(name.AsSpan(0, nameWidth - 3), "...");
            }

            var result = row.Failed > 0 ? "FAIL" : row.Passed > 0 ? "PASS" : "SKIP";
            builder.Append(CultureInfo.InvariantCulture, $"  {name.PadRight(nameWidth)}  {result,-6}  {row.Passed + row.Failed + row.Skipped,5}  {row.Passed,6}  {row.Failed,6}  {row.Skipped,7}  {LiveProgress.FormatDuration(row.Duration),8}").AppendLine();
        }

        builder.Append(CultureInfo.InvariantCulture, $"{Passed} passed, {Failed} failed, {Skipped} skipped").AppendLine();
        if (FailedSubResults > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{FailedSubResults} sub-result(s) failed").AppendLine();
        }

        return builder.ToString();
    }

    private sealed class Row(string suite, string name)
    {
        public string Suite { get; } = suite;

        public string Name { get; } = name;

        public int Passed { get; set; }

        public int Failed { get; set; }

        public int Skipped { get; set; }

        public TimeSpan Duration { get; set; }

        public string? LastFailure { get; set; }
    }
}
