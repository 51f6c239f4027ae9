using DeviceTest.Hardware.Tests.Local;

namespace DeviceTest.Hardware.Tests;

/// <summary>
/// What every <see cref="IWorkDirectoryCommands"/> does, checked on a real device (local, the SSH board, the console
/// boards): the environment, the exit code, the output without the report, whether files are there, the fetch, the
/// removal, a timeout and a cancel; directories made ahead and used once, and a pre-made one that is gone or not the
/// device user's replaced by a new one.
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

    /// <summary>
    /// A short line reaches the observer while the command still runs, not only when it ends.
    /// </summary>
    public static async Task OutputArrivesWhileTheCommandRunsAsync(IDevice device, CancellationToken cancellationToken)
    {
        var commands = (IWorkDirectoryCommands)device;
        var output = new RecordingOutput(waitFor: "started");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromShell("echo started; sleep 60")) { Timeout = Limit, Output = output }),
            cancel.Token);
        var first = await Task.WhenAny(output.SawText, running, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => running);
        Assert.AreSame(output.SawText, first, $"'started' did not reach the observer within 30 s while the command ran (it saw '{output.Stdout}')");
    }

    /// <summary>
    /// Directories made ahead are fresh (mode 0700, empty, distinct) and a later request runs in the one it names;
    /// one that is gone (a reboot emptied /tmp), a symbolic link or not the device user's is not used: the test gets a
    /// new directory and nothing reaches the impostor.
    /// </summary>
    public static async Task PremadeDirectoriesAreUsedOnlyWhileTheyAreTheDevicesAsync(IDevice device, CancellationToken cancellationToken)
    {
        var commands = (IWorkDirectoryCommands)device;
        var first = await commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromShell("echo first")) { Timeout = Limit }) { MakeAhead = 4 }, cancellationToken);
        Assert.AreEqual("first\n", first.Result!.Stdout, "the report line is not in the output");
        Assert.HasCount(4, first.MadeAhead);
        Assert.HasCount(5, first.MadeAhead.Append(first.Path!).Distinct());
        List<string> all = [first.Path!, .. first.MadeAhead];
        try
        {
            foreach (var path in first.MadeAhead)
            {
                StringAssert.StartsWith(path, Path.GetDirectoryName(first.Path!) + "/devicetest.");
                var q = ShellQuoting.Quote(path);
                var made = await device.RunAsync(CommandRequest.Shell($"stat -c %a {q} {q}/results {q}/artifacts; find {q} -mindepth 2 | wc -l"), cancellationToken);
                Assert.AreEqual("700\n700\n700\n0\n", made.Stdout, "mode 0700 and empty: " + made.Stderr);
            }

            // Used: TEST_DIR and ARTIFACTS_DIR are in it.
            var used = await commands.RunInWorkDirectoryAsync(PremadeRequest(first.MadeAhead[0]), cancellationToken);
            Assert.AreEqual(0, used.Result!.ExitCode, used.Result.Stdout + used.Result.Stderr);
            Assert.AreEqual(first.MadeAhead[0], used.Path);
            Assert.AreEqual($"{first.MadeAhead[0]}/results\n", used.Result.Stdout);
            Assert.IsTrue(used.HasFiles);
            Assert.IsEmpty(used.MadeAhead, "a request with a pre-made directory makes none ahead");

            // Gone: a new one.
            await device.RunAsync(CommandRequest.Arguments("rm", "-rf", "--", first.MadeAhead[1]), cancellationToken);
            var gone = await commands.RunInWorkDirectoryAsync(PremadeRequest(first.MadeAhead[1]), cancellationToken);
            all.Add(gone.Path!);
            AssertNewDirectory(gone, first.MadeAhead[1]);

            // A symbolic link to a directory with results/ and artifacts/: not used, nothing written there.
            await device.RunAsync(CommandRequest.Shell($"rm -rf -- {ShellQuoting.Quote(first.MadeAhead[2])} && ln -s {ShellQuoting.Quote(first.Path!)} {ShellQuoting.Quote(first.MadeAhead[2])}"), cancellationToken);
            var link = await commands.RunInWorkDirectoryAsync(PremadeRequest(first.MadeAhead[2]), cancellationToken);
            all.Add(link.Path!);
            AssertNewDirectory(link, first.MadeAhead[2]);
            Assert.IsFalse(await ExistsAsync(device, first.Path + "/artifacts/mark", cancellationToken), "nothing was written through the link");

            // Another user's (when the device user can hand it over: root).
            var root = (await device.RunAsync(CommandRequest.Shell("id -u"), cancellationToken)).Stdout.Trim() == "0";
            if (root)
            {
                await device.RunAsync(CommandRequest.Arguments("chown", "-R", "65534", first.MadeAhead[3]), cancellationToken);
                var foreign = await commands.RunInWorkDirectoryAsync(PremadeRequest(first.MadeAhead[3]), cancellationToken);
                all.Add(foreign.Path!);
                AssertNewDirectory(foreign, first.MadeAhead[3]);
                Assert.IsFalse(await ExistsAsync(device, first.MadeAhead[3] + "/artifacts/mark", cancellationToken), "nothing was written in another user's directory");
            }
        }
        finally
        {
            await device.RunAsync(new CommandRequest(CommandLine.FromArguments(["rm", "-rf", "--", .. all])), cancellationToken);
        }
    }

    /// <summary>A timeout in a pre-made directory: what the command wrote is there to fetch, from that directory.</summary>
    public static async Task TimeoutInAPremadeDirectoryKeepsWhatWasWrittenAsync(IDevice device, string localRoot, CancellationToken cancellationToken)
    {
        var commands = (IWorkDirectoryCommands)device;
        var first = await commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromArguments("true")) { Timeout = Limit }) { MakeAhead = 1 }, cancellationToken);
        var premade = first.MadeAhead.Single();
        var run = await commands.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromShell("echo half > \"$ARTIFACTS_DIR/partial\"; sleep 1000"))
            {
                Timeout = TimeSpan.FromSeconds(2),
                KillGracePeriod = TimeSpan.FromSeconds(1),
            })
            {
                Premade = premade,
            },
            cancellationToken);

        Assert.IsTrue(run.Result!.TimedOut);
        Assert.AreEqual(premade, run.Path);
        Assert.IsTrue(run.HasFiles);
        await commands.FetchAndRemoveAsync(run.Path!, localRoot, cancellationToken);
        Assert.AreEqual("half\n", await File.ReadAllTextAsync(Path.Combine(localRoot, "artifacts", "partial"), cancellationToken));
        await device.RunAsync(CommandRequest.Arguments("rm", "-rf", "--", first.Path!), cancellationToken);
    }

    private static WorkDirectoryRequest PremadeRequest(string premade) => new(new CommandRequest(CommandLine.FromShell(
        "echo \"$TEST_DIR\"; echo mark > \"$ARTIFACTS_DIR/mark\"; test \"$(stat -c %a \"$TEST_DIR/..\")\" = 700"))
    {
        Timeout = Limit,
    })
    {
        Premade = premade,
    };

    private static void AssertNewDirectory(WorkDirectoryRun run, string premade)
    {
        Assert.AreEqual(0, run.Result!.ExitCode, "a new directory, mode 0700: " + run.Result.Stdout + run.Result.Stderr);
        Assert.AreNotEqual(premade, run.Path);
        StringAssert.Contains(run.Path, "/devicetest.");
        Assert.AreEqual($"{run.Path}/results\n", run.Result.Stdout);
        Assert.IsTrue(run.HasFiles);
    }

    private static async Task<bool> ExistsAsync(IDevice device, string path, CancellationToken cancellationToken) =>
        (await device.RunAsync(CommandRequest.Arguments("test", "-e", path), cancellationToken)).ExitCode == 0;
}
