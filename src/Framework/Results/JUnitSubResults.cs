namespace DeviceTest.Framework.Results;

/// <summary>How a JUnit file shows the sub-results a test wrote under <c>TEST_DIR</c>.</summary>
public enum JUnitSubResults
{
    /// <summary>
    /// Each sub-result is also its own <c>&lt;testcase&gt;</c> right after its test, named <c>test/sub</c>, with its
    /// own failure or skip (what JUnit readers list and count); the test keeps the properties and the readable block.
    /// </summary>
    TestCases,

    /// <summary>Only the test's properties (<c>subresult:NAME</c>, <c>metric:SUB/NAME</c>) and readable block.</summary>
    Properties,
}
