using System.Text;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Ssh;

[TestClass]
public sealed class SshDeviceCommandTests
{
    private static SshBoard? s_board;
    private static SshDevice? s_device;

    public TestContext TestContext { get; set; } = null!;

    private static SshDevice Device => s_device ?? throw new AssertInconclusiveException("no SSH board");

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        s_board = await SshLab.StartBoardAsync();
        s_device = new SshDevice(s_board.CreateDeviceConfig("board-ssh"));
    }

    [ClassCleanup]
    public static Task StopAsync() => SshLab.StopAsync(s_device, s_board);

    [TestMethod]
    public async Task Exit_codes_are_reported()
    {
        var ok = await Device.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);
        var failed = await Device.RunAsync(CommandRequest.Shell("exit 42"), TestContext.CancellationToken);
        var missing = await Device.RunAsync(CommandRequest.Arguments("/no/such/program"), TestContext.CancellationToken);

        Assert.AreEqual(0, ok.ExitCode);
        Assert.IsTrue(ok.Succeeded);
        Assert.AreEqual(42, failed.ExitCode);
        Assert.AreEqual(127, missing.ExitCode);
    }

    [TestMethod]
    public async Task Stdout_and_stderr_stay_apart()
    {
        var result = await Device.RunAsync(
            CommandRequest.Shell("echo out1; echo err1 >&2; printf 'no newline'; printf 'err2' >&2"), TestContext.CancellationToken);

        Assert.AreEqual("out1\nno newline", result.Stdout);
        Assert.AreEqual("err1\nerr2", result.Stderr);
    }

    [TestMethod]
    public async Task Argument_lists_are_not_reinterpreted_by_a_shell()
    {
        var result = await Device.RunAsync(
            CommandRequest.Arguments("printf", "%s|", "a b", "$HOME", "it's", "*", "line\nbreak"), TestContext.CancellationToken);

        Assert.AreEqual("a b|$HOME|it's|*|line\nbreak|", result.Stdout);
    }

    [TestMethod]
    public async Task Environment_and_working_directory_apply_to_one_command_only()
    {
        var first = await Device.RunAsync(
            new CommandRequest(CommandLine.FromShell("echo \"$GREETING\"; pwd; cd /usr; export LEAK=yes; FOO=bar"))
            {
                Environment = new Dictionary<string, string> { ["GREETING"] = "hello 'world' $x" },
                WorkingDirectory = "/tmp",
            },
            TestContext.CancellationToken);
        var second = await Device.RunAsync(CommandRequest.Shell("echo \"[$GREETING][$LEAK][$FOO]\"; pwd"), TestContext.CancellationToken);
        var home = await Device.RunAsync(CommandRequest.Shell("cd; pwd"), TestContext.CancellationToken);

        Assert.AreEqual("hello 'world' $x\n/tmp\n", first.Stdout);
        Assert.AreEqual($"[][][]\n{home.Stdout}", second.Stdout);
    }

    [TestMethod]
    public async Task A_missing_working_directory_fails_the_command()
    {
        var result = await Device.RunAsync(
            new CommandRequest(CommandLine.FromShell("echo should-not-run")) { WorkingDirectory = "/no/such/dir" }, TestContext.CancellationToken);

        Assert.AreNotEqual(0, result.ExitCode);
        Assert.AreEqual(string.Empty, result.Stdout);
        Assert.Contains("/no/such/dir", result.Stderr);
    }

    [TestMethod]
    public async Task Output_looking_like_markers_does_not_break_framing()
    {
        // The markers start with \036 and "DT"; print look-alikes and the process list (which shows the wrapper).
        var result = await Device.RunAsync(
            CommandRequest.Shell("printf '\\036DTE\\036DTS\\036DTPxx 1\\n'; ps -eo args >&2; ps -eo args | grep -c DTE"), TestContext.CancellationToken);
        var next = await Device.RunAsync(CommandRequest.Shell("echo next"), TestContext.CancellationToken);

        Assert.AreEqual(0, result.ExitCode);
        Assert.StartsWith("\u001eDTE\u001eDTS\u001eDTPxx 1\n", result.Stdout);
        Assert.AreEqual("next\n", next.Stdout);
    }

    [TestMethod]
    public async Task Binary_output_does_not_wedge_the_session()
    {
        var result = await Device.RunAsync(CommandRequest.Shell("head -c 200000 /dev/urandom; head -c 1000 /dev/urandom >&2"), TestContext.CancellationToken);
        var next = await Device.RunAsync(CommandRequest.Shell("echo still-here"), TestContext.CancellationToken);

        Assert.AreEqual(0, result.ExitCode);
        Assert.IsGreaterThan(0, result.Stdout.Length);
        Assert.AreEqual("still-here\n", next.Stdout);
    }

    [TestMethod]
    public async Task Fifty_megabytes_of_output_flow_in_bounded_memory()
    {
        var observer = new CountingObserver();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var result = await Device.RunAsync(
            new CommandRequest(CommandLine.FromShell("head -c 52428800 /dev/zero | tr '\\0' x; echo done >&2"))
            {
                MaxCapturedBytes = 1024 * 1024,
                Output = observer,
                Timeout = TimeSpan.FromMinutes(2),
            },
            TestContext.CancellationToken);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.AreEqual(0, result.ExitCode);
        Assert.IsTrue(result.OutputTruncated);
        Assert.AreEqual(1024 * 1024, result.Stdout.Length);
        Assert.AreEqual(52428800L, observer.StdoutChars);
        Assert.AreEqual("done\n", result.Stderr);
        Assert.IsLessThan(64L * 1024 * 1024, after - before, "memory kept after a 50 MB command");
    }

    [TestMethod]
    public async Task Observer_sees_both_streams_as_they_arrive()
    {
        var observer = new CountingObserver();
        var result = await Device.RunAsync(
            new CommandRequest(CommandLine.FromShell("echo a; echo b >&2; echo c")) { Output = observer }, TestContext.CancellationToken);

        Assert.AreEqual("a\nc\n", result.Stdout);
        Assert.AreEqual("a\nc\n", observer.Stdout.ToString());
        Assert.AreEqual("b\n", observer.Stderr.ToString());
    }

    [TestMethod]
    public async Task Timeout_kills_the_remote_process_group()
    {
        var sleep = SshLab.UniqueSleep();
        try
        {
            var result = await Device.RunAsync(
                new CommandRequest(CommandLine.FromShell($"echo started; sleep {sleep} & sleep {sleep}; echo never"))
                {
                    Timeout = TimeSpan.FromSeconds(1),
                    KillGracePeriod = TimeSpan.FromSeconds(1),
                },
                TestContext.CancellationToken);

            Assert.IsTrue(result.TimedOut);
            Assert.AreEqual(-1, result.ExitCode);
            Assert.AreEqual("started\n", result.Stdout);
            Assert.IsTrue(await SshLab.GoneAsync("sleep " + sleep, TimeSpan.FromSeconds(10)), "the remote sleeps survived the timeout");
            var next = await Device.RunAsync(CommandRequest.Shell("echo after"), TestContext.CancellationToken);
            Assert.AreEqual("after\n", next.Stdout);
        }
        finally
        {
            SshLab.Kill("sleep " + sleep);
        }
    }

    [TestMethod]
    public async Task A_process_ignoring_term_is_killed_after_the_grace_period()
    {
        var sleep = SshLab.UniqueSleep();
        try
        {
            var result = await Device.RunAsync(
                new CommandRequest(CommandLine.FromShell($"trap '' TERM; sleep {sleep}"))
                {
                    Timeout = TimeSpan.FromMilliseconds(500),
                    KillGracePeriod = TimeSpan.FromSeconds(1),
                },
                TestContext.CancellationToken);

            Assert.IsTrue(result.TimedOut);
            Assert.IsTrue(await SshLab.GoneAsync("sleep " + sleep, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            SshLab.Kill("sleep " + sleep);
        }
    }

    [TestMethod]
    public async Task Cancel_kills_the_remote_process_group_and_returns_promptly()
    {
        var sleep = SshLab.UniqueSleep();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();

            await Assert.ThrowsAsync<OperationCanceledException>(
                () => Device.RunAsync(CommandRequest.Shell($"sleep {sleep} | cat"), cancel.Token));

            Assert.IsLessThan(15.0, stopwatch.Elapsed.TotalSeconds);
            Assert.IsTrue(await SshLab.GoneAsync("sleep " + sleep, TimeSpan.FromSeconds(10)), "the remote sleep survived the cancel");
            var next = await Device.RunAsync(CommandRequest.Shell("echo after"), TestContext.CancellationToken);
            Assert.AreEqual("after\n", next.Stdout);
        }
        finally
        {
            SshLab.Kill("sleep " + sleep);
        }
    }

    [TestMethod]
    public async Task Many_commands_in_sequence_stay_correct()
    {
        for (var i = 0; i < 300; i++)
        {
            var result = await Device.RunAsync(CommandRequest.Shell($"echo {i}; echo e{i} >&2; exit {i % 7}"), TestContext.CancellationToken);
            Assert.AreEqual($"{i}\n", result.Stdout);
            Assert.AreEqual($"e{i}\n", result.Stderr);
            Assert.AreEqual(i % 7, result.ExitCode);
        }
    }

    [TestMethod]
    public async Task Concurrent_commands_each_get_their_own_output()
    {
        var tasks = Enumerable.Range(0, 12)
            .Select(i => Device.RunAsync(CommandRequest.Shell($"sleep 0.{i % 3}; echo {i}"), TestContext.CancellationToken))
            .ToArray();
        var results = await Task.WhenAll(tasks);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.AreEqual($"{i}\n", results[i].Stdout);
        }
    }

    [TestMethod]
    public async Task A_new_channel_command_gets_stdin()
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("line one\nline two\n"));
        var result = await Device.RunInNewChannelAsync(
            new CommandRequest(CommandLine.FromShell("wc -l; echo err >&2; exit 3")), input, TestContext.CancellationToken);

        Assert.AreEqual("2", result.Stdout.Trim());
        Assert.AreEqual("err\n", result.Stderr);
        Assert.AreEqual(3, result.ExitCode);
    }

    [TestMethod]
    public async Task A_new_channel_command_times_out_and_is_killed()
    {
        var sleep = SshLab.UniqueSleep();
        try
        {
            var result = await Device.RunInNewChannelAsync(
                new CommandRequest(CommandLine.FromShell($"sleep {sleep}")) { Timeout = TimeSpan.FromSeconds(1) }, null, TestContext.CancellationToken);

            Assert.IsTrue(result.TimedOut);
            Assert.IsTrue(await SshLab.GoneAsync("sleep " + sleep, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            SshLab.Kill("sleep " + sleep);
        }
    }

    [TestMethod]
    public async Task Environment_values_never_appear_in_any_argument_list()
    {
        // The lab's sshd runs on this machine: /proc shows both the ssh client's argv and the device's processes.
        var secret = "dt-secret-" + Guid.NewGuid().ToString("N");
        const string Scan = "printf %s \"$SECRET\" > pattern; sleep 0.5; " +
            "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\" 2>/dev/null; echo; done | grep -c -F -f pattern; rm -f pattern";
        var environment = new Dictionary<string, string> { ["SECRET"] = secret, ["PATH"] = "/usr/local/bin:/usr/bin:/bin" };

        var session = await Device.RunAsync(
            new CommandRequest(CommandLine.FromShell(Scan)) { Environment = environment, WorkingDirectory = "/tmp" }, TestContext.CancellationToken);
        var channel = await Device.RunInNewChannelAsync(
            new CommandRequest(CommandLine.FromShell(Scan + "; cat")) { Environment = environment, WorkingDirectory = "/tmp" },
            new MemoryStream(Encoding.UTF8.GetBytes("stdin intact\n")), TestContext.CancellationToken);

        Assert.AreEqual("0\n", session.Stdout, session.Stderr);
        Assert.AreEqual("0\nstdin intact\n", channel.Stdout, channel.Stderr);
        var echoed = await Device.RunInNewChannelAsync(
            new CommandRequest(CommandLine.FromShell("printf '%s|' \"$A\" \"$B\"")) { Environment = new Dictionary<string, string> { ["A"] = "two\nlines", ["B"] = "it's $HOME" } },
            null, TestContext.CancellationToken);
        Assert.AreEqual("two\nlines|it's $HOME|", echoed.Stdout);
    }

    [TestMethod]
    public void Transports_name_the_target()
    {
        Assert.AreEqual($"ssh {s_board!.User}@127.0.0.1:{s_board.Port}", Device.Transports.Single());
        Assert.AreEqual("board-ssh", Device.Name);
    }

    private sealed class CountingObserver : IOutputObserver
    {
        public long StdoutChars { get; private set; }

        public StringBuilder Stdout { get; } = new();

        public StringBuilder Stderr { get; } = new();

        public void OnOutput(OutputKind stream, ReadOnlySpan<char> text)
        {
            if (stream == OutputKind.Stdout)
            {
                StdoutChars += text.Length;
                if (Stdout.Length < 4096)
                {
                    Stdout.Append(text);
                }
            }
            else
            {
                Stderr.Append(text);
            }
        }
    }
}
