using DeviceTest.Hardware.Tests.Local;

namespace DeviceTest.Hardware.Tests;

/// <summary>
/// What every <see cref="IWorkDirectoryCommands"/> does, checked on a real device (local, the SSH board, the console
/// boards): the environment, the exit code, the output without the report, whether files are there, the fetch, the
/// removal, a timeout and a cancel.
/// </summary>
internal static class WorkDirectoryContract
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>A test that writes nothing: no files, its output as it was, and its directory removed by a later request.</summary>
    public static async Task NothingLeftBehindAsync(IDevice device, CancellationToken cancellationToken)
    {
        var commands = (IWorkDirectoryCommands)device;
        var output = new RecordingOutput();
        var run = await commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromShell(
                "test -d \"$TEST_DIR\" && test -d \"$ARTIFACTS_DIR\" && test -z \"$(ls -A \"$TEST_DIR\")\" && echo \"$MODE\"; cd /; exit 3"))
            {
                Environment = new Dictionary<string, string> { ["MODE"] = "quick 'x'", ["TEST_DIR"] = "/not/this" },
                Timeout = Limit,
                Output = output,
            }),
            cancellationToken);

        Assert.IsNull(run.Failure);
        Assert.AreEqual(3, run.Result!.ExitCode, run.Result.Stdout + run.Result.Stderr);
        Assert.AreEqual("quick 'x'\n", run.Result.Stdout, "the report line is not in the output");
        Assert.AreEqual("quick 'x'\n", output.Stdout, "nor in what the observer saw");
        Assert.IsFalse(run.HasFiles);
        StringAssert.Contains(run.Path, "/devicetest.");
        Assert.IsTrue(await ExistsAsync(device, run.Path!, cancellationToken), "the directory waits for a batch removal");

        var argv = await commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromArguments("printf", "%s|", "it's", "$HOME")) { Timeout = Limit })
            {
                RemoveFirst = [run.Path!],
            },
            cancellationToken);

        Assert.AreEqual("it's|$HOME|", argv.Result!.Stdout);
        Assert.IsFalse(await ExistsAsync(device, run.Path!, cancellationToken), "the next request removed it");
        Assert.AreNotEqual(run.Path, argv.Path);
        await device.RunAsync(CommandRequest.Arguments("rm", "-rf", "--", argv.Path!), cancellationToken);
    }

    /// <summary>Sub-results and an artifact are reported, fetched and removed; a hidden file alone counts too.</summary>
    public static async Task FilesComeBackAsync(IDevice device, string localRoot, CancellationToken cancellationToken)
    {
        var commands = (IWorkDirectoryCommands)device;
        var run = await commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromShell(
                "mkdir -p \"$TEST_DIR/100-sub/metrics\" && echo 5 > \"$TEST_DIR/100-sub/metrics/speed\" && echo 42 > \"$ARTIFACTS_DIR/answer.txt\""))
            {
                Timeout = Limit,
            }),
            cancellationToken);

        Assert.AreEqual(0, run.Result!.ExitCode, run.Result.Stdout + run.Result.Stderr);
        Assert.IsTrue(run.HasFiles);
        var local = Path.Combine(localRoot, "fetched");
        await commands.FetchAndRemoveAsync(run.Path!, local, cancellationToken);
        Assert.AreEqual("5\n", await File.ReadAllTextAsync(Path.Combine(local, "results", "100-sub", "metrics", "speed"), cancellationToken));
        Assert.AreEqual("42\n", await File.ReadAllTextAsync(Path.Combine(local, "artifacts", "answer.txt"), cancellationToken));
        Assert.IsFalse(await ExistsAsync(device, run.Path!, cancellationToken), "the fetch removed the directory");

        var hidden = await commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromShell("touch \"$ARTIFACTS_DIR/.hidden\"")) { Timeout = Limit }),
            cancellationToken);
        Assert.IsTrue(hidden.HasFiles, "a hidden file is something to fetch");
        await commands.FetchAndRemoveAsync(hidden.Path!, Path.Combine(localRoot, "hidden"), cancellationToken);
        Assert.IsTrue(File.Exists(Path.Combine(localRoot, "hidden", "artifacts", ".hidden")));
    }

    /// <summary>A timeout kills the command; what it wrote before is still there to fetch.</summary>
    public static async Task TimeoutKeepsWhatWasWrittenAsync(IDevice device, string localRoot, CancellationToken cancellationToken)
    {
        var commands = (IWorkDirectoryCommands)device;
        var run = await commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromShell("echo started; echo half > \"$ARTIFACTS_DIR/partial\"; sleep 1000"))
            {
                Timeout = TimeSpan.FromSeconds(2),
                KillGracePeriod = TimeSpan.FromSeconds(1),
            }),
            cancellationToken);

        Assert.IsTrue(run.Result!.TimedOut);
        Assert.AreEqual(-1, run.Result.ExitCode);
        StringAssert.StartsWith(run.Result.Stdout, "started\n");
        Assert.IsTrue(run.HasFiles);
        await commands.FetchAndRemoveAsync(run.Path!, localRoot, cancellationToken);
        Assert.AreEqual("half\n", await File.ReadAllTextAsync(Path.Combine(localRoot, "artifacts", "partial"), cancellationToken));
        Assert.AreEqual("after\n", (await device.RunAsync(CommandRequest.Shell("echo after"), cancellationToken)).Stdout);
    }

    /// <summary>Ctrl+C stops the command and removes its directory; the device stays usable.</summary>
    public static async Task CancelRemovesTheDirectoryAsync(IDevice device, CancellationToken cancellationToken)
    {
        var commands = (IWorkDirectoryCommands)device;
        var note = "/tmp/devicetest-cancel-" + Guid.NewGuid().ToString("N");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<OperationCanceledException>(() => commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromShell($"dirname \"$TEST_DIR\" > {note}; sleep 1000")) { Timeout = Limit }),
            cancel.Token));

        var path = (await device.RunAsync(CommandRequest.Shell($"cat {note}; rm -f {note}"), cancellationToken)).Stdout.Trim();
        StringAssert.Contains(path, "/devicetest.");
        Assert.IsFalse(await ExistsAsync(device, path, cancellationToken), "the cancelled test's directory is removed");
    }

    private static async Task<bool> ExistsAsync(IDevice device, string path, CancellationToken cancellationToken) =>
        (await device.RunAsync(CommandRequest.Arguments("test", "-e", path), cancellationToken)).ExitCode == 0;
}
