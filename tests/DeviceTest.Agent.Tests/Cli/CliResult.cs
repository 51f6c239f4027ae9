namespace DeviceTest.Agent.Tests.Cli;

/// <summary>How a devicetest process ended.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string Both => Stdout + Stderr;

    /// <summary>Asserts the exit code, showing both streams when it differs.</summary>
    public CliResult ExpectExit(int expected)
    {
        Assert.AreEqual(expected, ExitCode, $"exit code\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return this;
    }

    /// <summary>No stack trace and no exception type name anywhere in the output.</summary>
    public CliResult ExpectNoStackTrace()
    {
        foreach (var line in Both.Split('\n'))
        {
            Assert.IsFalse(line.StartsWith("   at ", StringComparison.Ordinal), $"stack trace line: {line}\n{Both}");
            Assert.IsFalse(line.Contains("Exception", StringComparison.Ordinal), $"exception text: {line}\n{Both}");
        }

        return this;
    }
}
