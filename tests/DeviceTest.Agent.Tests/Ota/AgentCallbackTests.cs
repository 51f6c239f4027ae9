using System.Net;
using System.Text.RegularExpressions;
using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>The agent as a process, driven through its generated callback script with aktualizr-lite's environment.</summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentCallbackTests
{
    private const string QuickSpec = """
        sequence:
          - tests:
              - name: hello
                command: [sh, -c, "echo hello; echo artifact > $ARTIFACTS_DIR/report.txt"]
        """;

    private const string SlowSpec = """
        sequence:
          - tests:
              - name: long
                command: [sh, -c, "echo $$ > $PID_FILE; sleep 300 & wait"]
                env: { PID_FILE: PIDFILE }
        """;

    [TestInitialize]
    public void RequireBusybox() => LabRequirement.Programs("busybox");

    [TestMethod]
    public async Task First_start_writes_aktualizr_config_and_tests_the_current_target_at_once()
    {
        await using var lab = new AgentLab(QuickSpec);
        var agent = lab.Start();
        await agent.WaitForLogAsync("run .*: finished");

        var toml = await File.ReadAllTextAsync(Path.Combine(lab.ConfDir, "z-90-devicetest.toml"));
        StringAssert.Contains(toml, "[pacman]\ncallback_program = \"" + lab.ScriptPath + "\"\n");
        Assert.IsTrue(File.GetUnixFileMode(lab.ScriptPath).HasFlag(UnixFileMode.UserExecute), "the callback script is executable");
        StringAssert.StartsWith(await File.ReadAllTextAsync(lab.ScriptPath), "#!/bin/sh\n");

        var starts = lab.Starts();
        Assert.HasCount(1, starts);
        Assert.AreEqual("hello", starts[0].GetProperty("name").GetString());
        Assert.AreEqual("lmp-x86-64-42", starts[0].GetProperty("target").GetString());
        var id = starts[0].GetProperty("test_id").GetString()!;
        Assert.MatchesRegex("^[A-Za-z0-9_-]{15,48}$", id);
        var completion = lab.Completions().Single();
        Assert.AreEqual(id, completion.GetProperty("test_id").GetString());
        Assert.AreEqual("PASSED", completion.GetProperty("status").GetString());
        CollectionAssert.AreEquivalent(new[] { "console.log", "report.txt" }, completion.GetProperty("artifacts").EnumerateArray().Select(a => a.GetString()).ToArray());
        Assert.IsFalse(File.Exists(lab.StatePath), "the state file is removed when the run ends");

        // A restart is not a first start: nothing runs until aktualizr-lite says so.
        await agent.TerminateAsync();
        var again = lab.Start();
        await again.WaitForLogTextAsync("no run to resume: waiting for aktualizr-lite's callbacks");
        Assert.HasCount(1, lab.Starts());
    }

    [TestMethod]
    public async Task Install_post_OK_runs_the_spec_for_the_current_target_and_other_messages_are_only_logged()
    {
        await using var lab = new AgentLab(QuickSpec);
        File.WriteAllText(Path.Combine(lab.ConfDir, "z-90-devicetest.toml"), "# from an earlier install\n");
        var agent = lab.Start();
        await agent.WaitForListeningAsync();

        foreach (var (message, result) in new (string, string?)[]
        {
            ("check-for-update-pre", null), ("check-for-update-post", "OK"), ("download-pre", null), ("download-post", "OK"),
            ("install-post", "NEEDS_COMPLETION"), ("install-final-pre", null), ("install-post", "FAILED"),
        })
        {
            var env = lab.CallbackEnvironment(message, result);
            var (code, stderr) = await lab.CallbackAsync(env);
            Assert.AreEqual(0, code, $"{message}: {stderr}");
        }

        await agent.WaitForLogTextAsync("callbacks from aktualizr-lite arrive (check-for-update-pre)");
        await agent.WaitForLogTextAsync("callback: install-post RESULT=\"NEEDS_COMPLETION\"");
        await agent.WaitForLogTextAsync("callback: install-final-pre");
        Assert.IsEmpty(lab.Records(), "only install-post OK starts a run");

        File.WriteAllText(lab.CurrentTargetPath, "TARGET_NAME=\"lmp-x86-64-43\"\nCUSTOM_VERSION=\"43\"\nTAG=\"main\"\n");
        var (okCode, okError) = await lab.CallbackAsync(lab.CallbackEnvironment("install-post", "OK"), busybox: false);
        Assert.AreEqual(0, okCode, okError);
        await agent.WaitForLogAsync("run .*: finished");
        Assert.AreEqual("lmp-x86-64-43", lab.Starts().Single().GetProperty("target").GetString());
        Assert.AreEqual("PASSED", lab.Completions().Single().GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task Install_pre_kills_the_running_test_and_completes_its_record_as_stopped_with_odd_values_intact()
    {
        await using var lab = new AgentLab(SlowSpec.Replace("PIDFILE", "pid", StringComparison.Ordinal));
        var pidFile = Path.Combine(lab.Root, "pid");
        File.WriteAllText(lab.SpecPath, SlowSpec.Replace("PIDFILE", pidFile, StringComparison.Ordinal));
        var agent = lab.Start();
        await AgentLab.WaitUntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), "the test to start");
        var shellPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        const string odd = "lmp-44, \"quoted\" 'single'\nsecond line & more=%41 $HOME `x`";
        var env = lab.CallbackEnvironment("install-pre", null);
        env["INSTALL_TARGET_NAME"] = odd;
        var (code, stderr) = await lab.CallbackAsync(env);
        Assert.AreEqual(0, code, stderr);

        var completion = lab.Completions().Single();
        Assert.AreEqual("FAILED", completion.GetProperty("status").GetString());
        Assert.AreEqual($"stopped: install-pre (aktualizr-lite is installing '{odd}')", completion.GetProperty("details").GetString());
        Assert.AreEqual(lab.Starts().Single().GetProperty("test_id").GetString(), completion.GetProperty("test_id").GetString());
        await AgentLab.WaitUntilAsync(() => !Directory.Exists($"/proc/{shellPid}"), "the test's shell to be gone");
        Assert.IsFalse(File.Exists(lab.StatePath), "a stopped run is not resumed");
        Assert.IsFalse(agent.HasExited);
        StringAssert.Contains(await lab.GetStatusAsync(), "idle");
    }

    [TestMethod]
    public async Task A_new_install_post_stops_the_old_run_before_the_new_one_starts()
    {
        await using var lab = new AgentLab(SlowSpec);
        var pidFile = Path.Combine(lab.Root, "pid");
        File.WriteAllText(lab.SpecPath, SlowSpec.Replace("PIDFILE", pidFile, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(lab.ConfDir, "z-90-devicetest.toml"), "# earlier\n");
        var agent = lab.Start();
        await agent.WaitForListeningAsync();

        var first = await lab.CallbackAsync(lab.CallbackEnvironment("install-post", "OK"));
        Assert.AreEqual(0, first.ExitCode, first.Stderr);
        await AgentLab.WaitUntilAsync(() => lab.Starts().Count == 1 && File.Exists(pidFile), "the first run's test");
        var second = await lab.CallbackAsync(lab.CallbackEnvironment("install-post", "OK"));
        Assert.AreEqual(0, second.ExitCode, second.Stderr);
        await AgentLab.WaitUntilAsync(() => lab.Starts().Count == 2, "the second run's test");

        var events = lab.Records().Select(r => r.GetProperty("event").GetString()).ToArray();
        CollectionAssert.AreEqual(new[] { "start", "complete", "start" }, events, "the old run's record is completed before the new run starts");
        StringAssert.StartsWith(lab.Completions()[0].GetProperty("details").GetString(), "stopped: superseded by a new run");
    }

    [TestMethod]
    public async Task The_script_retries_until_the_agent_is_up()
    {
        await using var lab = new AgentLab(QuickSpec);
        var boot = lab.Start();
        await boot.WaitForListeningAsync();
        await boot.TerminateAsync();

        // aktualizr-lite calls back before the agent's container is up (after a reboot).
        var callback = lab.CallbackAsync(lab.CallbackEnvironment("check-for-update-pre", null));
        await Task.Delay(2500);
        var agent = lab.Start();
        var (code, stderr) = await callback;
        Assert.AreEqual(0, code, stderr);
        await agent.WaitForLogAsync("callback: check-for-update-pre");
    }

    [TestMethod]
    public async Task Bad_bodies_get_400_and_the_agent_keeps_serving()
    {
        await using var lab = new AgentLab(QuickSpec);
        File.WriteAllText(Path.Combine(lab.ConfDir, "z-90-devicetest.toml"), "# earlier\n");
        var agent = lab.Start();
        await agent.WaitForListeningAsync();

        foreach (var body in new[] { "", "RESULT=OK", "MESSAGE=%zz", "MESSAGE", "MESSAGE=a&MESSAGE=b", "MESSAGE=install post", "MESSAGE=x&RESULT=%00", "v=1&MESSAGE=ok\u00e9" })
        {
            var (status, text) = await lab.PostAsync(body);
            Assert.AreEqual(HttpStatusCode.BadRequest, status, $"body '{body}': {text}");
        }

        var (bigStatus, _) = await lab.PostAsync(new byte[(64 * 1024) + 1]);
        Assert.AreEqual(HttpStatusCode.BadRequest, bigStatus);
        var (invalidUtf8, _) = await lab.PostAsync([(byte)'M', 0xff, 0xfe]);
        Assert.AreEqual(HttpStatusCode.BadRequest, invalidUtf8);

        var (unknown, answer) = await lab.PostAsync("v=1&MESSAGE=frobnicate-post");
        Assert.AreEqual(HttpStatusCode.OK, unknown);
        StringAssert.Contains(answer, "unknown message");
        await agent.WaitForLogTextAsync("WARN  unknown callback message 'frobnicate-post'");
        await agent.WaitForLogTextAsync("WARN  rejected a callback (400): MESSAGE is missing");
        await agent.WaitForLogTextAsync("the limit is 65536");
        StringAssert.Contains(await lab.GetStatusAsync(), "devicetest agent:");
        Assert.IsFalse(agent.HasExited);
    }

    [TestMethod]
    public async Task Missing_or_corrupt_current_target_is_logged_and_the_callback_name_is_the_fallback()
    {
        await using var lab = new AgentLab(QuickSpec, currentTarget: null);
        var agent = lab.Start();
        await agent.WaitForLogAsync("ERROR no tests run: the current Target is unknown: .*current-target does not exist");
        // That error comes before the agent listens: an agent that cannot listen must fail here, with its own words,
        // not as a callback script that gives up a minute later.
        await agent.WaitForListeningAsync();

        var env = lab.CallbackEnvironment("install-post", "OK");
        env.Remove("CURRENT_TARGET_NAME");
        var (code, stderr) = await lab.CallbackAsync(env);
        Assert.AreEqual(0, code, $"callback script stderr:\n{stderr}\nagent log:\n{agent.Log}");
        await AgentLab.WaitUntilAsync(() => Regex.Count(agent.Log, "ERROR no tests run") == 2, "the error for the callback");
        Assert.IsEmpty(lab.Records());

        File.WriteAllText(lab.CurrentTargetPath, "garbage without the name\n\0\0");
        env["CURRENT_TARGET_NAME"] = "lmp-from-callback";
        (code, stderr) = await lab.CallbackAsync(env);
        Assert.AreEqual(0, code, $"callback script stderr:\n{stderr}\nagent log:\n{agent.Log}");
        await agent.WaitForLogAsync("run .*: finished");
        StringAssert.Contains(agent.Log, "has no TARGET_NAME=");
        Assert.AreEqual("lmp-from-callback", lab.Starts().Single().GetProperty("target").GetString());
    }

    [TestMethod]
    public async Task A_corrupt_state_file_is_moved_aside_and_logged_and_the_agent_serves()
    {
        await using var lab = new AgentLab(QuickSpec);
        File.WriteAllText(Path.Combine(lab.ConfDir, "z-90-devicetest.toml"), "# earlier\n");
        Directory.CreateDirectory(lab.StateDir);
        File.WriteAllText(lab.StatePath, "{\"version\": 1, \"run_id\": \"abc\", \"step_ind");
        var agent = lab.Start();
        await agent.WaitForLogAsync("ERROR the run state .*run-state.json is unreadable: it is not valid JSON");
        StringAssert.Contains(agent.Log, "it was moved to");
        Assert.IsFalse(File.Exists(lab.StatePath));
        Assert.HasCount(1, Directory.GetFiles(lab.StateDir, "run-state.json.corrupt-*"));

        var (code, stderr) = await lab.CallbackAsync(lab.CallbackEnvironment("install-post", "OK"));
        Assert.AreEqual(0, code, stderr);
        await agent.WaitForLogAsync("run .*: finished");
    }

    [TestMethod]
    public async Task A_broken_spec_is_logged_with_its_position_and_the_agent_serves()
    {
        await using var lab = new AgentLab("sequence:\n  - tests:\n      - name: x\n");
        var agent = lab.Start();
        await agent.WaitForLogAsync(@"ERROR .*test-spec\.yml:3:\d+");
        await agent.WaitForLogTextAsync("no tests run: the spec"); // logged after the position, as a line of its own
        await agent.WaitForListeningAsync();
        StringAssert.Contains(await lab.GetStatusAsync(), "idle");
    }

    [TestMethod]
    public async Task No_callback_within_the_configured_time_is_a_loud_warning()
    {
        await using var lab = new AgentLab(QuickSpec);
        var agent = lab.Start("--callback-warning-after", "2s");
        await agent.WaitForLogAsync("WARN  no callback from aktualizr-lite in 2s: aktualizr-lite may not have reloaded its config");
        StringAssert.Contains(agent.Log, "systemctl restart aktualizr-lite");
    }
}
