using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Agent.Tests.Leases;

/// <summary>
/// A work folder for runs that contend for devices: devices.yml with two devices, <c>dev-a</c> and <c>dev-b</c>, both
/// the lab's sshd (besides the built-in <c>local</c>), and one spec per run whose tests append "start RUN DEVICE" and
/// "end RUN DEVICE" to one shared file (the device's name from <c>DEVICETEST_DEVICE</c>). A gated test waits for the
/// gate file first (60 s at most).
/// </summary>
internal sealed class LeaseLab : IDisposable
{
    private const string WaitForGate = "for i in $(seq 1200); do [ -e \"$GATE\" ] && break; sleep 0.05; done";
    private readonly WorkFolder _work = new();

    public LeaseLab(SshBoard? board = null)
    {
        if (board is not null)
        {
            var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
            var ssh = $"{{ host: {board.Host}, port: {board.Port}, user: {board.User}, identity: '{board.IdentityFile}', options: {{ {options} }} }}";
            _work.Write("devices.yml", $"devices:\n  dev-a:\n    ssh: {ssh}\n  dev-b:\n    ssh: {ssh}\n");
        }
    }

    public string Path => _work.Path;

    public string Log => _work.File("use.log");

    public string Gate => _work.File("gate");

    /// <summary>
    /// Starts <c>devicetest run</c> as run <paramref name="run"/> on <paramref name="device"/>, leases in
    /// <paramref name="leases"/> (null: lock files in this folder). <paramref name="kind"/>: "quick" (one short test),
    /// "gated" (one test that waits for the gate), "two" (a gated test, then a quick one).
    /// </summary>
    public DeviceTestProcess Start(string run, string kind, string device, string? leases)
    {
        var use = $"echo \"start {run} $DEVICETEST_DEVICE\" >> \"$LOG\"; {(kind == "quick" ? "sleep 0.2" : WaitForGate)}; echo \"end {run} $DEVICETEST_DEVICE\" >> \"$LOG\"";
        var second = kind == "two" ? $"\n      - name: second\n        command: echo \"start {run} $DEVICETEST_DEVICE second\" >> \"$LOG\"; echo \"end {run} $DEVICETEST_DEVICE second\" >> \"$LOG\"" : string.Empty;
        _work.Write(
            $"{run}.spec.yml",
            $"name: {run}\nsequence:\n  - tests:\n      - name: use\n        command: {Quote(use)}\n        env: {{ LOG: '{Log}', GATE: '{Gate}' }}{second}\n");
        return DeviceTestProcess.Start(
            Path,
            ["run", $"{run}.spec.yml", "--device", device, .. File.Exists(_work.File("devices.yml")) ? ["--devices", "devices.yml"] : Array.Empty<string>()],
            new Dictionary<string, string?> { ["DEVICETEST_LEASES"] = leases ?? System.IO.Path.Combine(Path, ".leases") });
    }

    /// <summary>Runs devicetest with <paramref name="args"/> here, leases in <paramref name="leases"/>.</summary>
    public Task<CliResult> RunAsync(string[] args, string? leases) => DeviceTestProcess.RunAsync(
        Path, args, new Dictionary<string, string?> { ["DEVICETEST_LEASES"] = leases ?? System.IO.Path.Combine(Path, ".leases") });

    public void OpenGate() => File.WriteAllText(Gate, "open");

    /// <summary>The use log: (start or end, run, device) per line.</summary>
    public IReadOnlyList<(string Mark, string Run, string Device)> Uses() => File.Exists(Log)
        ? [.. File.ReadAllLines(Log).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(f => (f[0], f[1], f[2]))]
        : [];

    /// <summary>Asserts that no device was used by two runs at once: per device, every start is followed by its run's end.</summary>
    public void AssertNoOverlap()
    {
        foreach (var device in Uses().GroupBy(u => u.Device))
        {
            var marks = device.ToList();
            for (var i = 0; i < marks.Count; i += 2)
            {
                Assert.AreEqual("start", marks[i].Mark, Describe());
                Assert.IsTrue(i + 1 < marks.Count && marks[i + 1] == ("end", marks[i].Run, device.Key), $"{marks[i].Run} overlapped on {device.Key}:\n{Describe()}");
            }
        }
    }

    public string Describe() => File.Exists(Log) ? File.ReadAllText(Log) : "(no use log)";

    public void Dispose()
    {
        OpenGate();
        _work.Dispose();
    }

    private static string Quote(string command) => "'" + command.Replace("'", "''", StringComparison.Ordinal) + "'";
}
