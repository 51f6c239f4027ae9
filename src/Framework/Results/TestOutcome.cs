namespace DeviceTest.Framework.Results;

public enum TestOutcome
{
    Passed,
    Failed,
    Skipped,
}
