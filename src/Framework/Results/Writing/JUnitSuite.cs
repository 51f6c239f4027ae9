namespace DeviceTest.Framework.Results.Writing;

/// <summary>What a JUnit writer keeps per suite while results stream to disk: counters, times, shared properties.</summary>
internal sealed class JUnitSuite
{
    private List<KeyValuePair<string, string>>? _common;

    public JUnitSuite(int index, string name, string className)
    {
        Index = index;
        Name = name;
        ClassName = className;
    }

    public int Index { get; }

    public string Name { get; }

    public string ClassName { get; }

    /// <summary>The spool part holding this suite's testcases.</summary>
    public string PartName => $"suite-{Index}.xml";

    public int Tests { get; private set; }

    public int Failures { get; private set; }

    public int Skipped { get; private set; }

    public TimeSpan Time { get; private set; }

    public DateTimeOffset? FirstStart { get; private set; }

    /// <summary>The properties every result of the suite carries with the same value (spec, device, ...).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CommonProperties => _common ?? [];

    public void Add(ResultRecord record)
    {
        Count(record.Outcome);
        Time += record.Duration;
        if (FirstStart is null || record.StartTime < FirstStart)
        {
            FirstStart = record.StartTime;
        }

        if (_common is null)
        {
            _common = [.. record.Properties.DistinctBy(p => p.Key, StringComparer.Ordinal)];
        }
        else
        {
            _common.RemoveAll(shared => !record.Properties.Contains(shared));
        }
    }

    /// <summary>Counts one more testcase with this outcome (a test, or a sub-result written as its own testcase).</summary>
    public void Count(TestOutcome outcome)
    {
        Tests++;
        if (outcome == TestOutcome.Failed)
        {
            Failures++;
        }
        else if (outcome == TestOutcome.Skipped)
        {
            Skipped++;
        }
    }
}
