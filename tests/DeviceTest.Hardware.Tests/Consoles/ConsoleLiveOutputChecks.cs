using DeviceTest.Hardware.Tests.Local;

namespace DeviceTest.Hardware.Tests.Consoles;

/// <summary>
/// Checks that a console shell passes a command's output on while the command runs, and the same text its result
/// gets: a line (with its newline) before the command ends, on its own and in a work directory; what a timed-out
/// command printed; output in many small writes whole and in order, text that looks like a marker included.
/// </summary>
internal static class ConsoleLiveOutputChecks
{
    /// <summary>How long a line may take to reach the observer (a loaded machine, QEMU's emulated serial).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A command prints a line and then waits for a file in <paramref name="sharedDirectory"/> (a directory this machine
    /// and the device share): the observer gets the line, newline included, before the test makes the file; then the
    /// command ends with the result it always had, and the observer saw exactly its output.
    /// </summary>
    public static async Task LineArrivesBeforeTheCommandEndsAsync(IDevice device, string sharedDirectory, bool inWorkDirectory)
    {
        var release = Path.Combine(sharedDirectory, "release-" + Guid.NewGuid().ToString("N")[..8]);
        var output = new RecordingOutput(waitFor: "first\n");
        var request = new CommandRequest(CommandLine.FromShell($"echo first; until [ -e {ShellQuoting.Quote(release)} ]; do sleep 0.05; done; echo second"))
        {
            Timeout = Limit,
            Output = output,
        };
        var running = inWorkDirectory ? InWorkDirectoryAsync() : device.RunAsync(request, CancellationToken.None);
        try
        {
            var first = await Task.WhenAny(output.SawText, running, Task.Delay(Bound));
            Assert.AreSame(output.SawText, first, $"'first\\n' did not reach the observer within {Bound.TotalSeconds} s while the command ran (it saw '{output.Stdout}')");
            Assert.IsFalse(running.IsCompleted, "the command is still waiting for the file");
            Assert.AreEqual("first\n", output.Stdout);
        }
        finally
        {
            await File.WriteAllTextAsync(release, string.Empty);
        }

        var result = await running;
        File.Delete(release);
        Assert.AreEqual(0, result.ExitCode, result.Stdout);
        Assert.AreEqual("first\nsecond\n", result.Stdout, "the result is what it was without the observer");
        Assert.AreEqual(result.Stdout, output.Stdout, "the observer saw exactly the output");

        async Task<CommandResult> InWorkDirectoryAsync()
        {
            var run = await ((IWorkDirectoryCommands)device).RunInWorkDirectoryAsync(new WorkDirectoryRequest(request), CancellationToken.None);
            Assert.IsNull(run.Failure, run.Failure);
            return run.Result!;
        }
    }

    /// <summary>A command that times out: what it printed reached the observer before the timeout, and is what the result has.</summary>
    public static async Task TimedOutOutputArrivesBeforeTheTimeoutAsync(IDevice device)
    {
        var output = new RecordingOutput(waitFor: "before\n");
        var running = device.RunAsync(
            new CommandRequest(CommandLine.FromShell("echo before; sleep 120")) { Timeout = TimeSpan.FromSeconds(20), Output = output },
            CancellationToken.None);

        var first = await Task.WhenAny(output.SawText, running, Task.Delay(Bound));
        Assert.AreSame(output.SawText, first, $"'before\\n' did not reach the observer before the timeout (it saw '{output.Stdout}')");
        var result = await running;
        Assert.IsTrue(result.TimedOut);
        StringAssert.StartsWith(result.Stdout, "before\n");
        Assert.AreEqual(result.Stdout, output.Stdout, "the observer saw exactly the output");
    }

    /// <summary>
    /// Output written a few characters at a time, with pauses inside lines and after text that could start the end
    /// marker (a record separator, a newline, <c>DTE_</c>), and stderr: the observer gets it whole and in order, as
    /// stdout (a console merges the two), and it is the result's stdout.
    /// </summary>
    public static async Task SmallWritesArriveWholeAndInOrderAsync(IDevice device)
    {
        const string Script = """
            i=0; while [ $i -lt 300 ]; do printf '%s,' $i; i=$((i+1)); done
            printf 'ab'; sleep 0.2; printf 'cd\n'
            printf 'x\036'; sleep 0.2; printf '\nDT'; sleep 0.2; printf 'E_notours_1\n'
            echo err >&2
            printf 'last\036'; sleep 0.2; printf '\n'; sleep 0.2; printf 'no newline at the end'
            """;
        var expected = string.Concat(Enumerable.Range(0, 300).Select(i => $"{i},")) +
            "abcd\nx\u001e\nDTE_notours_1\nerr\nlast\u001e\nno newline at the end";
        var output = new RecordingOutput();

        var result = await device.RunAsync(new CommandRequest(CommandLine.FromShell(Script)) { Timeout = Limit, Output = output }, CancellationToken.None);

        Assert.AreEqual(0, result.ExitCode, result.Stdout);
        Assert.AreEqual(expected, result.Stdout);
        Assert.AreEqual(string.Empty, result.Stderr, "stderr is merged into stdout on a console");
        Assert.AreEqual(expected, output.Stdout);
        Assert.AreEqual(0, output.StderrChars);
    }
}
