using System.Globalization;
using DeviceTest.Framework.Leasing;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;
using DeviceTest.TestAdapter.Execution;
using DeviceTest.TestAdapter.Tests.Fakes;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;
using TestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// The run's SSH device opened while the tests are discovered (DeviceHeadStart), against the real ssh client and the
/// lab's sshd: what users see is the same as when the device is opened after the lease.
/// </summary>
[TestClass]
public sealed class DeviceHeadStartTests
{
    private const string Spec = """
        name: remote
        sequence:
          - tests:
              - name: first
                command: 'true'
              - name: second
                command: echo two
        """;

    [TestMethod]
    public void A_device_that_cannot_be_reached_fails_the_tests_with_the_same_message_as_when_opened_after_discovery()
    {
        LabRequirement.Programs("ssh");
        using var project = new SpecProject();
        project.AddSpec("remote.spec.yml", Spec);
        using var closed = LoopbackPort.Reserve(); // held, nothing listens: the connection is refused
        File.WriteAllText(Path.Combine(project.Directory, "devices.yml"), string.Create(
            CultureInfo.InvariantCulture,
            $"devices:\n  gone:\n    ssh: {{ host: 127.0.0.1, port: {closed.Number}, user: nobody, connect_timeout: 1s }}\n"));

        // No filter: the device is opened while the tests are discovered. A filter (here one that selects every test)
        // may select none, so the device is opened only once there are tests for it, as before.
        var ahead = Run(project, "gone", filter: null);
        var after = Run(project, "gone", filter: new EveryTest());

        foreach (var sink in new[] { ahead, after })
        {
            Assert.HasCount(2, sink.Results);
            Assert.IsTrue(sink.Results.All(r => r.Outcome == TestOutcome.Failed));
            StringAssert.Contains(sink.Results[0].ErrorMessage, "cannot open device 'gone'");
            StringAssert.Contains(sink.Results[0].ErrorMessage, "Connection refused");
        }

        CollectionAssert.AreEqual(Outcomes(after), Outcomes(ahead));
        CollectionAssert.AreEqual(after.Errors.ToList(), ahead.Errors.ToList());
        Assert.IsEmpty(ahead.Started, "no test started");
    }

    [TestMethod]
    public async Task A_run_whose_filter_selects_no_test_never_connects_to_the_device()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep");
        await using var board = await SshBoard.StartAsync();
        using var project = ProjectOn(board);
        var devices = new OpenCounting(new DefaultDeviceProvider());
        var executor = new DeviceTestExecutor(new AdapterServices { Leases = new LeaseDirectory(Path.Combine(project.Directory, "leases")), Devices = devices });
        var sink = new RecordingSink();

        executor.RunTests([project.Source], Context(project, "ssh-board", new NoTest()), sink);

        Assert.IsEmpty(sink.Results);
        Assert.AreEqual(0, devices.Calls, "the device is not opened");
        Assert.AreEqual(0, await board.LoginsSoFarAsync());
    }

    [TestMethod]
    public async Task While_another_run_holds_the_device_no_connection_opened_ahead_is_kept_and_the_tests_run_once_it_is_free()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep");
        await using var board = await SshBoard.StartAsync();
        using var project = ProjectOn(board);
        var leases = Path.Combine(project.Directory, "leases");
        var devices = new OpenCounting(new DefaultDeviceProvider());
        var executor = new DeviceTestExecutor(new AdapterServices { Leases = new LeaseDirectory(leases), Devices = devices });
        var sink = new RecordingSink();
        var otherRun = new LeaseDirectory(leases).TryAcquire("ssh-board");
        Assert.IsNotNull(otherRun);
        Task run;
        try
        {
            run = Task.Run(() => executor.RunTests([project.Source], Context(project, "ssh-board", filter: null), sink));
            await WaitUntilAsync(() => sink.Warnings.Any(w => w.Contains("waiting for a device", StringComparison.Ordinal)), "the run waits for the lease");
            await WaitUntilAsync(() => devices.First is { IsCompleted: true }, "the device was opened ahead of the lease");

            // The device opened ahead is closed while the run waits: its shell on the device ends.
            await WaitUntilAsync(() => Shells(board.ListenerPid) == 0, "the shell opened ahead ends while the run waits");
        }
        finally
        {
            otherRun.Dispose();
        }

        await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.IsTrue(sink.Results.All(r => r.Outcome == TestOutcome.Passed), string.Join("\n", sink.Results.Select(r => r.ErrorMessage)));
        Assert.HasCount(2, sink.Results);
        Assert.AreEqual(2, devices.Calls, "opened again once leased");
    }

    private static RecordingSink Run(SpecProject project, string device, ITestCaseFilterExpression? filter)
    {
        var sink = new RecordingSink();
        var executor = new DeviceTestExecutor(new AdapterServices { Leases = new LeaseDirectory(Path.Combine(project.Directory, "leases")) });
        executor.RunTests([project.Source], Context(project, device, filter), sink);
        return sink;
    }

    private static FakeRunContext Context(SpecProject project, string device, ITestCaseFilterExpression? filter) =>
        new($"<RunSettings><DeviceTest><Device>{device}</Device></DeviceTest></RunSettings>", Path.Combine(project.Directory, "TestResults"))
        {
            Filter = (_, _) => filter,
        };

    /// <summary>A project with <see cref="Spec"/> and a devices.yml naming <paramref name="board"/> <c>ssh-board</c>.</summary>
    private static SpecProject ProjectOn(SshBoard board)
    {
        var project = new SpecProject();
        project.AddSpec("remote.spec.yml", Spec);
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        File.WriteAllText(Path.Combine(project.Directory, "devices.yml"), $"""
            devices:
              ssh-board:
                ssh: {"{"} host: {board.Host}, port: {board.Port}, user: {board.User}, identity: '{board.IdentityFile}', options: {"{"} {options} {"}"} {"}"}
            """);
        return project;
    }

    private static List<string> Outcomes(RecordingSink sink) =>
        [.. sink.Results.Select(r => $"{r.TestCase.DisplayName}: {r.Outcome}: {r.ErrorMessage}").Order(StringComparer.Ordinal)];

    /// <summary>The shells (<c>sh</c>) running under the board's sshd: one per persistent session of a client.</summary>
    private static int Shells(int listener)
    {
        var parents = new Dictionary<int, int>();
        var names = new Dictionary<int, string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                names[pid] = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
                parents[pid] = int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        bool Under(int pid)
        {
            for (var guard = 0; guard < 64 && parents.TryGetValue(pid, out var parent); guard++, pid = parent)
            {
                if (parent == listener)
                {
                    return true;
                }
            }

            return false;
        }

        return names.Count(p => p.Value == "sh" && Under(p.Key));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not within 30 s: {what}");
            }

            await Task.Delay(20);
        }
    }

    private sealed class EveryTest : ITestCaseFilterExpression
    {
        public string TestCaseFilterValue => "FullyQualifiedName~DeviceTest";

        public bool MatchTestCase(TestCase testCase, Func<string, object?> propertyValueProvider) => true;
    }

    private sealed class NoTest : ITestCaseFilterExpression
    {
        public string TestCaseFilterValue => "Name=none";

        public bool MatchTestCase(TestCase testCase, Func<string, object?> propertyValueProvider) => false;
    }

    /// <summary>The real device provider, counting the openings; <see cref="First"/> is the first one.</summary>
    private sealed class OpenCounting(IDeviceProvider inner) : IDeviceProvider
    {
        private int _calls;

        public int Calls => _calls;

        public Task<IDevice>? First { get; private set; }

        public Task<IDevice> OpenAsync(DeviceConfig config, CancellationToken cancellationToken)
        {
            var opening = inner.OpenAsync(config, cancellationToken);
            if (Interlocked.Increment(ref _calls) == 1)
            {
                First = opening;
            }

            return opening;
        }
    }
}
