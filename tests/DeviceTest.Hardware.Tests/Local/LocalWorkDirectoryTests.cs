using DeviceTest.Hardware.Local;

namespace DeviceTest.Hardware.Tests.Local;

/// <summary>The local device runs a test and its work directory in this process and one command (see <see cref="WorkDirectoryContract"/>).</summary>
[TestClass]
public sealed class LocalWorkDirectoryTests
{
    private string _local = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _local = Directory.CreateTempSubdirectory("devicetest-local-wd-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_local, recursive: true);

    [TestMethod]
    public Task A_test_that_writes_nothing_leaves_its_directory_for_a_later_removal() =>
        WorkDirectoryContract.NothingLeftBehindAsync(new LocalDevice(), TestContext.CancellationToken);

    [TestMethod]
    public Task Sub_results_and_artifacts_come_back_and_the_directory_goes() =>
        WorkDirectoryContract.FilesComeBackAsync(new LocalDevice(), _local, TestContext.CancellationToken);

    [TestMethod]
    public Task A_timed_out_test_keeps_what_it_wrote() =>
        WorkDirectoryContract.TimeoutKeepsWhatWasWrittenAsync(new LocalDevice(), _local, TestContext.CancellationToken);

    [TestMethod]
    public Task A_cancelled_test_leaves_no_directory() =>
        WorkDirectoryContract.CancelRemovesTheDirectoryAsync(new LocalDevice(), TestContext.CancellationToken);

    [TestMethod]
    public Task A_short_line_reaches_the_observer_while_the_test_runs() =>
        WorkDirectoryContract.OutputArrivesWhileTheCommandRunsAsync(new LocalDevice(), TestContext.CancellationToken);

    [TestMethod]
    public async Task Makes_no_directory_ahead_and_ignores_a_pre_made_one_since_its_directories_cost_no_process()
    {
        var device = new LocalDevice();
        var first = await device.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(CommandRequest.Arguments("true")) { MakeAhead = 3 }, TestContext.CancellationToken);
        Assert.IsEmpty(first.MadeAhead);
        var second = await device.RunInWorkDirectoryAsync(
            new WorkDirectoryRequest(CommandRequest.Arguments("true")) { Premade = first.Path }, TestContext.CancellationToken);
        Assert.AreNotEqual(first.Path, second.Path, "a directory another test had is never used again");
        Directory.Delete(first.Path!, recursive: true);
        Directory.Delete(second.Path!, recursive: true);
    }
}
