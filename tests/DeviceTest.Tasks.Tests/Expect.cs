using System.Text.RegularExpressions;

namespace DeviceTest.Tasks.Tests;

/// <summary>Assertions on what a build printed.</summary>
internal static partial class Expect
{
    public static void Succeeded(MSBuildRun run) => Assert.IsTrue(run.Succeeded, run.ToString());

    /// <summary>The build failed with <paramref name="code"/>, the message names <paramref name="names"/>, and no stack trace was printed.</summary>
    public static void FailedWith(MSBuildRun run, string code, params string[] names)
    {
        Assert.IsFalse(run.Succeeded, run.ToString());
        var line = run.Output.Split('\n').FirstOrDefault(l => l.Contains("error " + code, StringComparison.Ordinal));
        Assert.IsNotNull(line, $"no 'error {code}' in:\n{run}");
        foreach (var name in names)
        {
            Assert.IsTrue(line.Contains(name, StringComparison.Ordinal), $"the {code} error does not name '{name}': {line}");
        }

        NoStackTrace(run);
    }

    public static void NoStackTrace(MSBuildRun run) =>
        Assert.IsFalse(StackFrame().IsMatch(run.Output), "a stack trace was printed:\n" + run);

    /// <summary>The summary line says <paramref name="sent"/> files sent and <paramref name="skipped"/> skipped.</summary>
    public static void Summary(MSBuildRun run, int sent, int skipped)
    {
        Succeeded(run);
        var expected = $"{sent} file(s) sent, {skipped} unchanged file(s) skipped";
        Assert.IsTrue(run.Output.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in:\n{run}");
    }

    [GeneratedRegex(@"^\s+at [\w.<>`]+\(.*\)", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
