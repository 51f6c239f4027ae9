using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Ssh;

/// <summary>
/// A test and its work directory in one framed command on the persistent session, and the fetch as a tar stream on
/// the same session (see <see cref="WorkDirectoryContract"/>), against the lab's sshd.
/// </summary>
[TestClass]
public sealed class SshWorkDirectoryTests
{
    private static SshBoard? s_board;
    private static SshDevice? s_device;
    private string _local = null!;

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

    [TestInitialize]
    public void CreateFolder() => _local = Directory.CreateTempSubdirectory("devicetest-ssh-wd-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_local, recursive: true);

    [TestMethod]
    public Task A_test_that_writes_nothing_leaves_its_directory_for_a_later_removal() =>
        WorkDirectoryContract.NothingLeftBehindAsync(Device, TestContext.CancellationToken);

    [TestMethod]
    public Task Sub_results_and_artifacts_come_back_and_the_directory_goes() =>
        WorkDirectoryContract.FilesComeBackAsync(Device, _local, TestContext.CancellationToken);

    [TestMethod]
    public Task A_timed_out_test_keeps_what_it_wrote() =>
        WorkDirectoryContract.TimeoutKeepsWhatWasWrittenAsync(Device, _local, TestContext.CancellationToken);

    [TestMethod]
    public Task A_cancelled_test_leaves_no_directory() =>
        WorkDirectoryContract.CancelRemovesTheDirectoryAsync(Device, TestContext.CancellationToken);

    [TestMethod]
    public Task A_short_line_reaches_the_observer_while_the_test_runs() =>
        WorkDirectoryContract.OutputArrivesWhileTheCommandRunsAsync(Device, TestContext.CancellationToken);

    [TestMethod]
    public Task Pre_made_directories_are_used_once_and_only_while_they_are_the_users() =>
        WorkDirectoryContract.PremadeDirectoriesAreUsedOnlyWhileTheyAreTheDevicesAsync(Device, TestContext.CancellationToken);

    [TestMethod]
    public Task A_timed_out_test_in_a_pre_made_directory_keeps_what_it_wrote() =>
        WorkDirectoryContract.TimeoutInAPremadeDirectoryKeepsWhatWasWrittenAsync(Device, _local, TestContext.CancellationToken);

    [TestMethod]
    public async Task A_fetch_carries_binary_files_and_marker_like_bytes_intact_on_the_session()
    {
        var run = await Device.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(new CommandRequest(CommandLine.FromShell(
                "head -c 3000000 /dev/urandom > \"$ARTIFACTS_DIR/random.bin\" && printf '\\036DTE0 0\\n\\036DTS' > \"$ARTIFACTS_DIR/markers\""))
            {
                Timeout = TimeSpan.FromSeconds(60),
            }),
            TestContext.CancellationToken);
        Assert.IsTrue(run.HasFiles);
        var remote = await File.ReadAllBytesAsync(Path.Combine(run.Path!, "artifacts", "random.bin"), TestContext.CancellationToken);

        await Device.FetchAndRemoveAsync(run.Path!, _local, TestContext.CancellationToken);

        CollectionAssert.AreEqual(remote, await File.ReadAllBytesAsync(Path.Combine(_local, "artifacts", "random.bin"), TestContext.CancellationToken));
        Assert.AreEqual("\u001eDTE0 0\n\u001eDTS", await File.ReadAllTextAsync(Path.Combine(_local, "artifacts", "markers"), TestContext.CancellationToken));
        Assert.AreEqual("still\n", (await Device.RunAsync(CommandRequest.Shell("echo still"), TestContext.CancellationToken)).Stdout);
    }
}
