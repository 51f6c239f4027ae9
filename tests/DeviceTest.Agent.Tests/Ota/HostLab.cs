using DeviceTest.Hardware.Local;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// The agent's two sides on this machine: the real local device and, as the host of on_host tests, the lab's SSH
/// board (a real sshd on loopback) whose sessions get a private TMPDIR (<see cref="HostTemp"/>), so that the host's work
/// directories are told apart from this machine's; both recorded in one log (<see cref="Trips"/>).
/// </summary>
internal sealed class HostLab : IAsyncDisposable
{
    private readonly SshBoard _board;
    private readonly SshDevice _ssh;

    private HostLab(string root, SshBoard board)
    {
        Root = root;
        _board = board;
        _ssh = new SshDevice(board.CreateDeviceConfig("host"));
    }

    /// <summary>A private folder of the test (not a TMPDIR).</summary>
    public string Root { get; }

    /// <summary>The host's TMPDIR: where its work directories go.</summary>
    public string HostTemp => Path.Combine(Root, "host-tmp");

    /// <summary>What ran on either side, in order, as "local: ..." and "host: ...".</summary>
    public List<string> Trips { get; } = [];

    public static async Task<HostLab> StartAsync(CancellationToken cancellationToken)
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen");
        var root = Directory.CreateTempSubdirectory("devicetest-agent-host-").FullName;
        var hostTemp = Directory.CreateDirectory(Path.Combine(root, "host-tmp")).FullName;
        try
        {
            return new HostLab(root, await SshBoard.StartAsync(new Dictionary<string, string> { ["TMPDIR"] = hostTemp }, cancellationToken));
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>This machine and the host, recording into <see cref="Trips"/>; they do not own the devices.</summary>
    public (RecordingOneRoundTripSide Local, RecordingOneRoundTripSide Host) Sides() =>
        (new RecordingOneRoundTripSide("local", new LocalDevice(), Trips), new RecordingOneRoundTripSide("host", _ssh, Trips));

    /// <summary>Each side made its directories where it should and was never handed one of the other side.</summary>
    public void AssertEachSideKeptItsOwn(RecordingOneRoundTripSide local, RecordingOneRoundTripSide host)
    {
        var log = string.Join("\n", Trips);
        Assert.IsTrue(host.Made.Count > 0 && host.Made.All(p => p.StartsWith(HostTemp + "/", StringComparison.Ordinal)), "the host's directories are in its TMPDIR:\n" + log);
        Assert.IsFalse(local.Made.Any(p => p.StartsWith(HostTemp + "/", StringComparison.Ordinal)), "this machine's are not:\n" + log);
        Assert.IsTrue(host.Handled.IsSubsetOf(host.Made), "the host only used, fetched or removed its own directories:\n" + log);
        Assert.IsTrue(local.Handled.IsSubsetOf(local.Made), "this machine only used, fetched or removed its own directories:\n" + log);
    }

    /// <summary>The host's TMPDIR is empty and no directory this machine made is left.</summary>
    public void AssertNothingLeft(RecordingOneRoundTripSide local)
    {
        var log = string.Join("\n", Trips);
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(HostTemp), "nothing is left on the host:\n" + log);
        Assert.IsFalse(local.Made.Any(Directory.Exists), "nothing is left on this machine:\n" + log);
    }

    public async ValueTask DisposeAsync()
    {
        await _ssh.DisposeAsync();
        await _board.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
