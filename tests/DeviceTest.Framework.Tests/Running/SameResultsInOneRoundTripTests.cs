using System.Text;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Consoles.Shell;
using DeviceTest.Hardware.Local;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab;
using DeviceTest.Lab.Serial;
using DeviceTest.Lab.Ssh;
using TestResult = DeviceTest.Framework.Results.TestResult;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>
/// A spec with sub-results, metrics, artifacts, output on stdout and on stderr, a failing exit code, a bad TEST_DIR entry and a
/// timeout after writing an artifact gives the same results in one round trip per test as on the portable path
/// (mktemp, the command, a directory fetch, rm), on the local device, the lab's sshd and a console shell on a pty.
/// </summary>
[TestClass]
public sealed class SameResultsInOneRoundTripTests
{
    private const string Writes = """
        mkdir -p "$TEST_DIR/1700000001.5-boot/metrics" "$TEST_DIR/1700000002-net" "$TEST_DIR/1700000003-opt" "$ARTIFACTS_DIR/logs"
        echo 42 > "$TEST_DIR/1700000001.5-boot/metrics/seconds"
        touch "$TEST_DIR/1700000002-net/failed"; echo "no route" > "$TEST_DIR/1700000002-net/log"
        touch "$TEST_DIR/1700000003-opt/skipped"
        echo kernel > "$ARTIFACTS_DIR/logs/dmesg.txt"; echo 7 > "$ARTIFACTS_DIR/answer.txt"
        echo "out $MODE"
        """;

    private string _results = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateResults() => _results = Directory.CreateTempSubdirectory("devicetest-same-results-").FullName;

    [TestCleanup]
    public void DeleteResults() => Directory.Delete(_results, recursive: true);

    [TestMethod]
    public async Task On_the_local_device()
    {
        await using var device = new LocalDevice();
        await AssertSameResultsAsync(device);
    }

    [TestMethod]
    public async Task On_the_ssh_board()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid");
        await using var board = await SshBoard.StartAsync();
        await using var device = new SshDevice(board.CreateDeviceConfig("board-ssh"));
        await AssertSameResultsAsync(device);
    }

    [TestMethod]
    public async Task On_a_console_shell()
    {
        await using var board = await PtyShellBoard.StartAsync();
        await using var device = new ConsoleShellDevice(new DeviceConfig
        {
            Name = "board-serial",
            Serial = new SerialConfig { Port = board.TtyPath, Baud = 115200 },
            Shell = new ShellConfig { Prompt = PtyShellBoard.PromptPattern },
        });
        await AssertSameResultsAsync(device);
    }

    private static TestSpec Spec() => SpecBuilder.Named("same")
        .Tests(
            SpecBuilder.Test("writes", Writes, env: new Dictionary<string, string> { ["MODE"] = "quick" }),
            SpecBuilder.Argv("fails", "sh", "-c", "echo bad >&2; exit 5"),
            SpecBuilder.Argv("quiet", "true"),
            SpecBuilder.Test("bad-entry", "touch \"$TEST_DIR/not-a-number\""),
            SpecBuilder.Test("slow", "echo started; echo half > \"$ARTIFACTS_DIR/partial.txt\"; sleep 1000", timeout: TimeSpan.FromSeconds(2)))
        .Build();

    private async Task AssertSameResultsAsync(IDevice device)
    {
        var counting = new RoundTripCountingDevice(device);
        var oneTrip = await RunAsync(counting, "one-trip");
        var portable = await RunAsync(new PortableOnlyDevice(device), "portable");

        Assert.AreEqual(portable, oneTrip);
        Assert.AreEqual(5, counting.Count("test"), string.Join("\n", counting.Trips));
        Assert.AreEqual(3, counting.Count("fetch"), "the tests that wrote files, the bad entry and the artifact before the timeout");
        Assert.IsTrue(device is LocalDevice || counting.MadeAhead.Count > 0, "SSH and console shells make directories ahead");
        foreach (var workDirectory in counting.WorkDirectories.Concat(counting.MadeAhead))
        {
            var left = await device.RunAsync(CommandRequest.Arguments("test", "-e", workDirectory), TestContext.CancellationToken);
            Assert.AreNotEqual(0, left.ExitCode, $"{workDirectory} is left on the device");
        }
    }

    /// <summary>The run's results as text: everything but times, durations and local paths.</summary>
    private async Task<string> RunAsync(IDevice device, string name)
    {
        var root = Path.Combine(_results, name);
        var observer = new RecordingObserver();
        var summary = await new SpecRunner(device, new RunOptions { ResultsDirectory = root }, observer).RunAsync(Spec(), TestContext.CancellationToken);
        var text = new StringBuilder($"passed {summary.Passed} failed {summary.Failed} skipped {summary.Skipped}\n");
        foreach (var message in observer.Messages)
        {
            text.AppendLine("message " + message);
        }

        foreach (var result in observer.Results)
        {
            await AppendAsync(text, result, root);
        }

        return text.ToString();
    }

    private async Task AppendAsync(StringBuilder text, TestResult result, string root)
    {
        text.AppendLine($"{result.Name} {result.Outcome} exit {result.ExitCode} message {result.Message}");
        // Lines of stdout and stderr interleave by arrival, which two streams do not order on a busy machine: compare
        // the lines, not their order.
        text.AppendLine($"details {string.Join('\n', (result.Details ?? string.Empty).Split('\n').Order(StringComparer.Ordinal))}");
        text.AppendLine($"stdout {result.Stdout} stderr {result.Stderr}");
        foreach (var sub in result.SubResults)
        {
            text.AppendLine($"  sub {sub.Name} {sub.Outcome} {sub.LocalTimestamp} {sub.Details} {string.Join(',', sub.Metrics.Select(m => $"{m.Key}={m.Value}"))}");
        }

        foreach (var attachment in result.Attachments)
        {
            var content = await File.ReadAllTextAsync(attachment, TestContext.CancellationToken);
            text.AppendLine($"  file {Path.GetRelativePath(root, attachment)}: {content}");
        }
    }
}
