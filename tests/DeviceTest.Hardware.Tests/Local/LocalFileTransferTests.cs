using DeviceTest.Hardware.Local;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Hardware.Tests.Local;

[TestClass]
public sealed class LocalFileTransferTests
{
    private string _root = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("devicetest-files-").FullName;

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Put_creates_parent_directories_sets_the_mode_and_leaves_no_temporary_file()
    {
        var source = Path.Combine(_root, "tool.sh");
        await File.WriteAllTextAsync(source, "#!/bin/sh\necho hi\n", TestContext.CancellationToken);
        var target = Path.Combine(_root, "device", "usr", "bin", "tool");

        await new LocalFileTransfer().PutAsync(source, target, 0b111_101_000, TestContext.CancellationToken);

        Assert.AreEqual("#!/bin/sh\necho hi\n", await File.ReadAllTextAsync(target, TestContext.CancellationToken));
        Assert.AreEqual(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(target));
        CollectionAssert.AreEqual(new[] { "tool" }, Directory.GetFiles(Path.GetDirectoryName(target)!).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public async Task Put_replaces_an_existing_file()
    {
        var source = Path.Combine(_root, "new");
        await File.WriteAllTextAsync(source, "new", TestContext.CancellationToken);
        var target = Path.Combine(_root, "target");
        await File.WriteAllTextAsync(target, "old content", TestContext.CancellationToken);

        await new LocalFileTransfer().PutAsync(source, target, null, TestContext.CancellationToken);

        Assert.AreEqual("new", await File.ReadAllTextAsync(target, TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task Get_copies_a_file_into_a_new_directory()
    {
        var source = Path.Combine(_root, "remote.txt");
        await File.WriteAllTextAsync(source, "data", TestContext.CancellationToken);
        var target = Path.Combine(_root, "local", "sub", "copy.txt");

        await new LocalFileTransfer().GetAsync(source, target, TestContext.CancellationToken);

        Assert.AreEqual("data", await File.ReadAllTextAsync(target, TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task GetDirectory_copies_a_tree()
    {
        var remote = Path.Combine(_root, "remote");
        Directory.CreateDirectory(Path.Combine(remote, "a", "b"));
        await File.WriteAllTextAsync(Path.Combine(remote, "top"), "1", TestContext.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(remote, "a", "b", "deep"), "2", TestContext.CancellationToken);
        Directory.CreateDirectory(Path.Combine(remote, "empty"));
        var local = Path.Combine(_root, "local");

        await new LocalFileTransfer().GetDirectoryAsync(remote, local, TestContext.CancellationToken);

        Assert.AreEqual("1", await File.ReadAllTextAsync(Path.Combine(local, "top"), TestContext.CancellationToken));
        Assert.AreEqual("2", await File.ReadAllTextAsync(Path.Combine(local, "a", "b", "deep"), TestContext.CancellationToken));
        Assert.IsTrue(Directory.Exists(Path.Combine(local, "empty")));
    }

    [TestMethod]
    public async Task GetDirectory_of_a_missing_directory_copies_nothing()
    {
        var local = Path.Combine(_root, "local");
        await new LocalFileTransfer().GetDirectoryAsync(Path.Combine(_root, "missing"), local, TestContext.CancellationToken);
        Assert.IsFalse(Directory.Exists(local));
    }
}
