using System.Globalization;
using DeviceTest.Hardware.Local;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Hardware.Tests.Local;

[TestClass]
public sealed class LocalDeviceTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Argv_list_reports_the_exit_code()
    {
        await using var device = new LocalDevice();
        var result = await device.RunAsync(CommandRequest.Arguments("sh", "-c", "exit 3"), TestContext.CancellationToken);
        Assert.AreEqual(3, result.ExitCode);
        Assert.IsFalse(result.TimedOut);
        Assert.IsFalse(result.Succeeded);
    }

    [TestMethod]
    public async Task Shell_string_runs_under_sh()
    {
        await using var device = new LocalDevice();
        var result = await device.RunAsync(CommandRequest.Shell("echo one | tr o O; exit 7"), TestContext.CancellationToken);
        Assert.AreEqual(7, result.ExitCode);
        Assert.AreEqual("One\n", result.Stdout);
    }

    [TestMethod]
    public async Task Argv_words_are_not_split_or_expanded()
    {
        await using var device = new LocalDevice();
        var result = await device.RunAsync(
            CommandRequest.Arguments("printf", "%s|", "a b", "$HOME", "*"), TestContext.CancellationToken);
        Assert.AreEqual(0, result.ExitCode);
        Assert.AreEqual("a b|$HOME|*|", result.Stdout);
    }

    [TestMethod]
    public async Task Missing_program_exits_127()
    {
        await using var device = new LocalDevice();
        var result = await device.RunAsync(
            CommandRequest.Arguments("/nonexistent/program-devicetest"), TestContext.CancellationToken);
        Assert.AreEqual(127, result.ExitCode);
        StringAssert.Contains(result.Stderr, "program-devicetest");
    }

    [TestMethod]
    public async Task Stdout_and_stderr_are_kept_apart()
    {
        await using var device = new LocalDevice();
        var output = new RecordingOutput();
        var request = new CommandRequest(CommandLine.FromShell("echo out; echo err >&2; echo out2"))
        {
            Output = output,
        };
        var result = await device.RunAsync(request, TestContext.CancellationToken);
        Assert.AreEqual("out\nout2\n", result.Stdout);
        Assert.AreEqual("err\n", result.Stderr);
        Assert.AreEqual("out\nout2\n", output.Stdout);
        Assert.AreEqual("err\n", output.Stderr);
    }

    [TestMethod]
    public async Task Observer_gets_each_stream_in_order()
    {
        await using var device = new LocalDevice();
        var output = new RecordingOutput(keep: 10 << 20);
        var request = new CommandRequest(CommandLine.FromArguments("seq", "1", "200000")) { Output = output };
        var result = await device.RunAsync(request, TestContext.CancellationToken);
        var expected = string.Concat(Enumerable.Range(1, 200000).Select(i => i.ToString(CultureInfo.InvariantCulture) + "\n"));
        Assert.AreEqual(expected, output.Stdout);
        Assert.AreEqual(expected, result.Stdout);
    }

    [TestMethod]
    public async Task Environment_and_working_directory_come_from_the_request()
    {
        var dir = Directory.CreateTempSubdirectory("devicetest-local-").FullName;
        try
        {
            await using var device = new LocalDevice();
            var request = new CommandRequest(CommandLine.FromShell("echo \"$MODE\"; pwd"))
            {
                Environment = new Dictionary<string, string> { ["MODE"] = "quick mode" },
                WorkingDirectory = dir,
            };
            var result = await device.RunAsync(request, TestContext.CancellationToken);
            Assert.AreEqual($"quick mode\n{Path.GetFullPath(dir)}\n", result.Stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task Missing_working_directory_is_a_clear_error()
    {
        await using var device = new LocalDevice();
        var request = new CommandRequest(CommandLine.FromShell("true")) { WorkingDirectory = "/nonexistent/devicetest-dir" };
        var error = await Assert.ThrowsExactlyAsync<DirectoryNotFoundException>(
            () => device.RunAsync(request, TestContext.CancellationToken));
        StringAssert.Contains(error.Message, "/nonexistent/devicetest-dir");
    }

    [TestMethod]
    public async Task Command_runs_in_its_own_process_group()
    {
        await using var device = new LocalDevice();
        var result = await device.RunAsync(
            CommandRequest.Shell("echo $$ $(ps -o pgid= -p $$)"), TestContext.CancellationToken);
        var words = result.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.HasCount(2, words);
        Assert.AreEqual(words[0], words[1], "the command's pid is its process group id");
        Assert.AreNotEqual(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), words[1]);
    }

    [TestMethod]
    public async Task Timeout_kills_the_whole_process_group()
    {
        await using var device = new LocalDevice();
        var request = new CommandRequest(CommandLine.FromArguments("sh", "-c", "echo $$; sleep 1000 & sleep 1000 & wait"))
        {
            Timeout = TimeSpan.FromSeconds(1),
        };
        var result = await device.RunAsync(request, TestContext.CancellationToken).WaitAsync(Generous, TestContext.CancellationToken);
        Assert.IsTrue(result.TimedOut);
        Assert.AreEqual(-1, result.ExitCode);
        var group = int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
        var left = await ProcessTable.WaitUntilGoneAsync(group);
        Assert.IsEmpty(left, $"processes left in group {group}: {string.Join(", ", left)}");
    }

    [TestMethod]
    public async Task A_group_that_ignores_SIGTERM_gets_SIGKILL()
    {
        await using var device = new LocalDevice();
        var request = new CommandRequest(CommandLine.FromShell("trap '' TERM; echo $$; sleep 1000 & sleep 1000; wait"))
        {
            Timeout = TimeSpan.FromSeconds(1),
            KillGracePeriod = TimeSpan.FromMilliseconds(500),
        };
        var result = await device.RunAsync(request, TestContext.CancellationToken).WaitAsync(Generous, TestContext.CancellationToken);
        Assert.IsTrue(result.TimedOut);
        var group = int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
        Assert.IsEmpty(await ProcessTable.WaitUntilGoneAsync(group));
    }

    [TestMethod]
    public async Task Cancel_kills_the_whole_process_group_and_throws()
    {
        await using var device = new LocalDevice();
        var output = new RecordingOutput(waitFor: "started");
        var request = new CommandRequest(CommandLine.FromShell("echo $$ started; sleep 1000 & sleep 1000 & wait")) { Output = output };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var run = device.RunAsync(request, cancel.Token);
        await output.SawText.WaitAsync(Generous, TestContext.CancellationToken);
        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => run.WaitAsync(Generous, TestContext.CancellationToken));
        var group = int.Parse(output.Stdout.Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.IsEmpty(await ProcessTable.WaitUntilGoneAsync(group));
    }

    [TestMethod]
    public async Task Background_jobs_left_behind_are_killed_when_the_command_exits()
    {
        await using var device = new LocalDevice();
        var result = await device.RunAsync(CommandRequest.Shell("echo $$; sleep 1000 & exit 0"), TestContext.CancellationToken)
            .WaitAsync(Generous, TestContext.CancellationToken);
        Assert.AreEqual(0, result.ExitCode);
        Assert.IsFalse(result.TimedOut);
        var group = int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
        Assert.IsEmpty(await ProcessTable.WaitUntilGoneAsync(group));
    }

    [TestMethod]
    public async Task Fifty_megabytes_of_output_are_streamed_and_capped()
    {
        const int Size = 50 * 1024 * 1024;
        await using var device = new LocalDevice();
        var output = new RecordingOutput(keep: 0);
        var request = new CommandRequest(CommandLine.FromShell($"head -c {Size} /dev/zero | tr '\\0' a; echo tail >&2"))
        {
            Output = output,
            MaxCapturedBytes = 1024 * 1024,
        };
        var result = await device.RunAsync(request, TestContext.CancellationToken);
        Assert.AreEqual(0, result.ExitCode);
        Assert.AreEqual(Size, output.StdoutChars);
        Assert.AreEqual(1024 * 1024, result.Stdout.Length);
        Assert.IsTrue(result.OutputTruncated);
        Assert.AreEqual("tail\n", result.Stderr);
    }

    [TestMethod]
    public async Task Binary_and_invalid_utf8_output_does_not_crash()
    {
        await using var device = new LocalDevice();
        var output = new RecordingOutput();
        var request = new CommandRequest(CommandLine.FromShell("head -c 200000 /dev/urandom; printf 'ok \\377\\376 caf\\303\\251\\n'"))
        {
            Output = output,
        };
        var result = await device.RunAsync(request, TestContext.CancellationToken);
        Assert.AreEqual(0, result.ExitCode);
        Assert.EndsWith("ok \uFFFD\uFFFD café\n", result.Stdout);
        Assert.EndsWith("ok \uFFFD\uFFFD café\n", output.Stdout);
    }

    [TestMethod]
    public async Task Reboot_is_skipped_on_this_machine()
    {
        await using var device = new LocalDevice();
        var outcome = await device.RebootAsync(CommandLine.FromArguments("/sbin/reboot"), TimeSpan.FromMinutes(5), TestContext.CancellationToken);
        Assert.IsFalse(outcome.Rebooted);
        Assert.IsTrue(outcome.Skipped);
        Assert.AreEqual("the local device is this machine: reboot step not run", outcome.Details);
    }

    [TestMethod]
    public async Task Describes_itself()
    {
        await using var device = new LocalDevice(["x86"]);
        Assert.AreEqual("local", device.Name);
        CollectionAssert.AreEqual(new[] { "local" }, device.Transports.ToArray());
        CollectionAssert.AreEqual(new[] { "x86" }, device.Tags.ToArray());
        Assert.IsNull(device.Console);
        Assert.IsNull(device.Power);
        await device.EnsureReadyAsync(TimeSpan.FromSeconds(1), TestContext.CancellationToken);
    }
}
