using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Benchmarks;

/// <summary>
/// What a spec test costs where users feel it, against the lab's sshd, in one run: N trivial tests
/// (<c>command: [/bin/true]</c>) through <c>devicetest run</c> and through <c>dotnet test</c> with the adapter (whole
/// processes, start included), beside a shell loop of N <c>ssh host true</c> over a ControlMaster; per test in process
/// (SpecRunner on SshDevice) beside a bare command on the persistent session, in interleaved rounds
/// (<see cref="InProcessRounds"/>); and N tests that each write a sub-result and an artifact. Prints times and ratios.
/// </summary>
internal static class SpecTests
{
    public static async Task<int> RunAsync(string[] args)
    {
        var asked = Option(args, "--count") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 200;
        var count = Math.Max(5, asked / 5 * 5); // the in-process rows run in 5 rounds
        // --tmpdir: the board's TMPDIR (e.g. a tmpfs, as /tmp on most boards); default: this machine's /tmp.
        var tmpdir = Option(args, "--tmpdir");
        await using var board = await SshBoard.StartAsync(tmpdir is null ? new Dictionary<string, string>() : new() { ["TMPDIR"] = tmpdir });
        var work = Directory.CreateTempSubdirectory("dt-bench-spec-").FullName;
        try
        {
            var devices = WriteDevices(board, work);
            var trivial = WriteSpec(work, "trivial", count, "[/bin/true]");
            var chunk = WriteSpec(work, "chunk", count / 5, "[/bin/true]");
            var one = WriteSpec(work, "one", 1, "[/bin/true]");
            var files = WriteSpec(work, "files", count, "'mkdir \"$TEST_DIR/1700000000-sub\" && echo 42 > \"$ARTIFACTS_DIR/answer.txt\"'");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"spec tests: {count} tests against sshd on 127.0.0.1:{board.Port}, TMPDIR {tmpdir ?? "/tmp"} ({Environment.ProcessorCount} cores, load {Load()})"));
            Console.WriteLine();

            InProcessRounds rounds;
            await using (var device = new SshDevice(board.CreateDeviceConfig("bench")))
            {
                rounds = await InProcessRounds.MeasureAsync(device, count, chunk, Path.Combine(work, "in-process"));
            }

            var loop = await ControlMasterLoopAsync(board, count);
            var cliOne = await DeviceTestRunAsync(devices, one, work);
            var cli = await DeviceTestRunAsync(devices, trivial, work);
            var cliFiles = await DeviceTestRunAsync(devices, files, work);
            var adapter = await DotnetTestAsync(board, work, count, mtp: false);
            var platform = await DotnetTestAsync(board, work, count, mtp: true);

            Row("bare 'true' (builtin) on the persistent session", count, rounds.Builtin);
            Row("bare [/bin/true] on the persistent session", count, rounds.Exec);
            Row("same in a work directory, one mkdir per test", count, rounds.DevicePartEach);
            Row("same, work directories made 32 at a time", count, rounds.DevicePart);
            Row("SpecRunner on SshDevice, one mkdir per test", count, rounds.SpecRunnerEach);
            Row("SpecRunner on SshDevice, in process", count, rounds.SpecRunner);
            Row("shell loop of ssh true over a ControlMaster", count, loop);
            Row("devicetest run, 1 test (start, connect)", 1, cliOne);
            Row("devicetest run, trivial tests", count, cli);
            Row("devicetest run, sub-result + artifact each", count, cliFiles);
            if (adapter is { } dotnetTest)
            {
                Row("dotnet test --no-build, trivial tests", count, dotnetTest);
            }

            if (platform is { } mtpTest)
            {
                Row("dotnet test --no-build, MTP mode, trivial tests", count, mtpTest);
            }

            Console.WriteLine();
            var perTest = rounds.SpecRunner.TotalMilliseconds / count;
            var bare = rounds.Builtin.TotalMilliseconds / count;
            Ratio("devicetest run vs ControlMaster loop (goal <= 0.10)", cli / loop);
            if (adapter is { } test)
            {
                Ratio("dotnet test vs ControlMaster loop (goal <= 0.10)", test / loop);
            }

            if (platform is { } mtp)
            {
                Ratio("dotnet test in MTP mode vs ControlMaster loop", mtp / loop);
            }

            var bareExec = rounds.Exec.TotalMilliseconds / count;
            Ratio("per test in process vs bare [/bin/true] on the session (goal <= 2.0)", perTest / bareExec);
            Ratio("same with one mkdir per test (as before)", rounds.SpecRunnerEach.TotalMilliseconds / count / bareExec);
            Ratio("per test in process vs bare 'true' builtin on the session", perTest / bare);
            Ratio("device part of a test vs bare [/bin/true] on the session", rounds.DevicePart / rounds.Exec);
            Ratio("device part, one mkdir per test (as before), vs bare [/bin/true]", rounds.DevicePartEach / rounds.Exec);
            Ratio("per test in devicetest run (beyond 1 test) vs bare [/bin/true]", (cli - cliOne).TotalMilliseconds / (count - 1) / bareExec);
            Ratio("a test with files vs a trivial test, in devicetest run", (cliFiles - cliOne) / (cli - cliOne));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static void Row(string name, int n, TimeSpan total) => Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture, $"{name,-46} {n,5} {total.TotalMilliseconds,9:F0} ms {total.TotalMilliseconds / n,8:F2} ms each"));

    private static void Ratio(string name, double value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-72} {value,6:F2}"));

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string WriteDevices(SshBoard board, string work)
    {
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        var path = Path.Combine(work, "devices.yml");
        File.WriteAllText(path, $$"""
            devices:
              ssh-board:
                ssh: { host: {{board.Host}}, port: {{board.Port}}, user: '{{board.User}}', identity: '{{board.IdentityFile}}', options: { {{options}} } }
            """);
        return path;
    }

    private static string WriteSpec(string directory, string name, int count, string command)
    {
        var text = new StringBuilder($"name: {name}\nsequence:\n  - tests:\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"      - name: t{i:D4}\n        command: {command}\n");
        }

        var path = Path.Combine(directory, name + ".spec.yml");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static async Task<TimeSpan> ControlMasterLoopAsync(SshBoard board, int count)
    {
        var control = Path.Combine(Directory.CreateTempSubdirectory("dt-bench-cm-").FullName, "m");
        var options = new StringBuilder($"-o BatchMode=yes -i '{board.IdentityFile}' -o IdentitiesOnly=yes -p {board.Port} -l '{board.User}' -o ControlPath='{control}'");
        foreach (var (key, value) in board.ClientOptions)
        {
            options.Append(CultureInfo.InvariantCulture, $" -o {key}='{value}'");
        }

        await ShellAsync($"ssh {options} -o ControlMaster=yes -o ControlPersist=120 -f -N {board.Host}");
        try
        {
            await ShellAsync($"ssh {options} {board.Host} true");
            var stopwatch = Stopwatch.StartNew();
            await ShellAsync($"i=0; while [ $i -lt {count} ]; do ssh {options} -o ControlMaster=no {board.Host} true || exit 1; i=$((i+1)); done");
            return stopwatch.Elapsed;
        }
        finally
        {
            await ShellAsync($"ssh {options} -O exit {board.Host} 2>/dev/null; true");
            Directory.Delete(Path.GetDirectoryName(control)!, recursive: true);
        }
    }

    private static async Task<TimeSpan> DeviceTestRunAsync(string devices, string spec, string work)
    {
        var results = Path.Combine(work, "results-" + Path.GetFileNameWithoutExtension(spec));
        var (code, output, elapsed) = await Discovery.DotnetAsync(
            work, "exec", Path.Combine(AppContext.BaseDirectory, "devicetest.dll"), "run", spec, "--device", "ssh-board", "--devices", devices, "--results", results);
        Check(code == 0, $"devicetest run {spec} exited {code}:\n{output}");
        return elapsed;
    }

    /// <summary>
    /// <c>dotnet test --no-build</c> on a generated project holding the trivial spec (built first, not timed), in VSTest
    /// mode or in Microsoft.Testing.Platform mode (<paramref name="mtp"/>).
    /// </summary>
    private static async Task<TimeSpan?> DotnetTestAsync(SshBoard board, string work, int count, bool mtp)
    {
        var project = Path.Combine(work, mtp ? "project-mtp" : "project");
        Directory.CreateDirectory(project);
        if (mtp)
        {
            Discovery.WriteMtpBenchProject(project);
        }
        else
        {
            Discovery.WriteBenchProject(project);
        }

        WriteSpec(project, "trivial", count, "[/bin/true]");
        WriteDevices(board, project);
        File.WriteAllText(Path.Combine(project, "bench.runsettings"),
            "<RunSettings><DeviceTest><DevicesFile>devices.yml</DevicesFile><Device>ssh-board</Device></DeviceTest></RunSettings>");
        var (buildCode, buildOutput, _) = await Discovery.DotnetAsync(project, "build", "-c", "Release", "-v", "q", "-nologo");
        if (buildCode != 0)
        {
            Console.Error.WriteLine($"dotnet test{(mtp ? " (MTP mode)" : string.Empty)} skipped: the generated project did not build:\n" + buildOutput);
            return null;
        }

        var (code, output, elapsed) = await Discovery.DotnetAsync(project, "test", "-c", "Release", "--no-build", "--settings", "bench.runsettings");
        Check(code == 0, $"dotnet test exited {code}:\n{output}");
        return elapsed;
    }

    private static async Task ShellAsync(string script)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", script]) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Check(process.ExitCode == 0, $"'{script}' exited {process.ExitCode}: {await error}");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
