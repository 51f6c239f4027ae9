using DeviceTest.Agent.Cli;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>An unexpected exception (a bug) is one line and exit code 70; the trace only on request.</summary>
[TestClass]
public sealed class InternalErrorTests
{
    [TestMethod]
    public async Task Unexpected_exception_is_one_line_with_a_hint_and_exit_seventy()
    {
        var error = new StringWriter();
        var exitCode = await new DeviceTestCommandLine(new BrokenWriter(), error)
            .RunAsync(["validate", RepositoryFiles.Path("samples", "specs", "smoke.spec.yml")]);

        Assert.AreEqual(70, exitCode);
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(
            new[]
            {
                "devicetest: internal error: the output is gone",
                "devicetest: this is a bug in devicetest; rerun with --verbose (or DEVICETEST_DEBUG=1) for the details and report them.",
            },
            lines);
    }

    [TestMethod]
    public async Task Verbose_shows_the_stack_trace()
    {
        var error = new StringWriter();
        var exitCode = await new DeviceTestCommandLine(new BrokenWriter(), error)
            .RunAsync(["validate", "--verbose", RepositoryFiles.Path("samples", "specs", "smoke.spec.yml")]);

        Assert.AreEqual(70, exitCode);
        StringAssert.StartsWith(error.ToString(), "devicetest: internal error: the output is gone");
        StringAssert.Contains(error.ToString(), "InvalidOperationException");
        StringAssert.Contains(error.ToString(), "   at ");
    }

    /// <summary>Standard output that fails, standing in for any bug.</summary>
    private sealed class BrokenWriter : StringWriter
    {
        public override void Write(char value) => throw new InvalidOperationException("the output is gone");

        public override void Write(string? value) => throw new InvalidOperationException("the output is gone");

        public override void WriteLine(string? value) => throw new InvalidOperationException("the output is gone");

        public override Task WriteLineAsync(string? value) => throw new InvalidOperationException("the output is gone");
    }
}
