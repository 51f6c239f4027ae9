using System.Text;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>Names as result files show them.</summary>
internal static class ResultNames
{
    /// <summary>
    /// A class name that JUnit and TRX readers split correctly on dots: each dot-separated part keeps letters,
    /// digits, <c>_</c> and <c>-</c>; anything else (spaces, slashes, colons...) becomes <c>_</c>; empty parts are
    /// dropped. <c>"my spec"</c> gives <c>my_spec</c>; <c>"Lab.NetworkSuite"</c> stays as it is.
    /// </summary>
    public static string ClassName(string suiteName)
    {
        var builder = new StringBuilder(suiteName.Length);
        foreach (var part in suiteName.Split('.', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            foreach (var c in part)
            {
                builder.Append(char.IsLetterOrDigit(c) || c is '_' or '-' ? c : '_');
            }
        }

        return builder.Length == 0 ? "DeviceTest" : builder.ToString();
    }

    /// <summary>JUnit-style outcome words used in properties and readable blocks.</summary>
    public static string OutcomeWord(TestOutcome outcome) => outcome switch
    {
        TestOutcome.Passed => "PASSED",
        TestOutcome.Failed => "FAILED",
        _ => "SKIPPED",
    };
}
