using DeviceTest.Hardware.Deployment;

namespace DeviceTest.Tasks.Tests;

/// <summary>The small rules behind the tasks: target paths, modes, the manifest format, where the device comes from.</summary>
[TestClass]
public sealed class RulesTests
{
    [TestMethod]
    [DataRow("/opt/app/run.sh")]
    [DataRow("/a")]
    [DataRow("/opt/with space/x.y")]
    public void Absolute_file_paths_are_fine(string path) => Assert.IsNull(TargetPaths.Check(path));

    [TestMethod]
    [DataRow("opt/app", "relative")]
    [DataRow("", "relative")]
    [DataRow("/opt/../etc/passwd", "escapes")]
    [DataRow("/opt/..", "escapes")]
    [DataRow("/opt/app/", "directory")]
    [DataRow("/opt//app", "empty")]
    [DataRow("/opt/./app", "empty")]
    [DataRow("/opt/a\nb", "control")]
    public void Bad_target_paths_say_what_is_wrong(string path, string words) =>
        StringAssert.Contains(TargetPaths.Check(path), words);

    [TestMethod]
    [DataRow("755", 0x1ED)]
    [DataRow("0644", 0x1A4)]
    [DataRow("0o600", 0x180)]
    [DataRow("4755", 0x9ED)]
    public void Modes_are_octal(string text, int expected)
    {
        Assert.IsTrue(Octal.TryParseMode(text, out var mode));
        Assert.AreEqual(expected, mode);
    }

    [TestMethod]
    [DataRow("rwx")]
    [DataRow("789")]
    [DataRow("")]
    [DataRow("777777")]
    public void Non_octal_modes_are_refused(string text) => Assert.IsFalse(Octal.TryParseMode(text, out _));

    [TestMethod]
    public void The_manifest_reads_back_what_it_wrote_and_ignores_junk()
    {
        var records = new Dictionary<string, DeployRecord>
        {
            ["/opt/a b/c"] = new(new string('a', 64), 12, 1_700_000_000, 0x1ED),
            ["/etc/x"] = new(new string('b', 64), 0, 5, 0x1A4),
        };
        var text = DeviceManifest.Format(records) + "garbage line\n\t\t\n";
        var parsed = DeviceManifest.Parse(text);
        CollectionAssert.AreEquivalent(records, parsed);
        Assert.AreEqual(0, DeviceManifest.Parse("not a manifest\n" + text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]).Count);
    }

    [TestMethod]
    public void A_cache_that_already_holds_the_deploy_is_not_written_again()
    {
        var path = Path.Combine(Path.GetTempPath(), "dt-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            SavedCache(path);
            var written = File.GetLastWriteTimeUtc(path);
            File.SetLastWriteTimeUtc(path, written.AddHours(-1));

            var unchanged = DeployCache.Load(path, "board ssh root@h:22");
            unchanged.Save(path, "board ssh root@h:22");
            Assert.AreEqual(written.AddHours(-1), File.GetLastWriteTimeUtc(path), "the same records are not rewritten");

            unchanged.Device["/opt/b"] = new DeployRecord(new string('d', 64), 4, 8, 0x1ED);
            unchanged.Save(path, "board ssh root@h:22");
            Assert.AreEqual(2, DeployCache.Load(path, "board ssh root@h:22").Device.Count, "a new record is written");

            DeployCache.Load(path, "board ssh root@h:22").Save(path, "board ssh root@other:22");
            Assert.AreEqual(2, DeployCache.Load(path, "board ssh root@other:22").Device.Count, "the same records for another device are written");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void The_local_cache_is_only_used_for_the_same_device()
    {
        var path = Path.Combine(Path.GetTempPath(), "dt-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var cache = SavedCache(path);
            var same = DeployCache.Load(path, "board ssh root@h:22");
            Assert.AreEqual(cache.Device["/opt/a"], same.Device["/opt/a"]);
            Assert.AreEqual(cache.Local["/src/a"], same.Local["/src/a"]);
            var other = DeployCache.Load(path, "board ssh root@other:22");
            Assert.AreEqual(0, other.Device.Count, "records for another device are not trusted");
            Assert.AreEqual(1, other.Local.Count, "local hashes still are");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void The_device_comes_from_the_property_then_runsettings_arguments_then_the_runsettings_file()
    {
        var file = Path.Combine(Path.GetTempPath(), "dt-" + Guid.NewGuid().ToString("N") + ".runsettings");
        File.WriteAllText(file, "<RunSettings><DeviceTest><Device>from-file</Device><DevicesFile>lab.yml</DevicesFile></DeviceTest></RunSettings>");
        try
        {
            Assert.AreEqual("from-property", TaskDeviceSelection.From("from-property", null, file, ["DeviceTest.Device=from-args"]).Device);
            Assert.AreEqual("from-args", TaskDeviceSelection.From(null, null, file, ["A.B=1;DeviceTest.Device=from-args"]).Device);
            var fromFile = TaskDeviceSelection.From("", null, file, []);
            Assert.AreEqual("from-file", fromFile.Device);
            Assert.AreEqual(Path.Combine(Path.GetTempPath(), "lab.yml"), fromFile.DevicesFile);
            Assert.IsNull(TaskDeviceSelection.From(null, null, null, null).Device);

            // One rule with the test adapter, which sees `-- DeviceTest.DevicesFile=...` merged into the runsettings:
            // relative to the runsettings file's folder when there is a file, else left for the project folder.
            Assert.AreEqual(Path.Combine(Path.GetTempPath(), "args", "lab.yml"), TaskDeviceSelection.From(null, null, file, ["DeviceTest.DevicesFile=args/lab.yml"]).DevicesFile);
            Assert.AreEqual("args/lab.yml", TaskDeviceSelection.From(null, null, null, ["DeviceTest.DevicesFile=args/lab.yml"]).DevicesFile);
            Assert.AreEqual("prop.yml", TaskDeviceSelection.From(null, "prop.yml", file, []).DevicesFile, "the MSBuild property stays relative to the project");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A cache with one local hash and one device record, saved to <paramref name="path"/> for "board".</summary>
    private static DeployCache SavedCache(string path)
    {
        var cache = new DeployCache();
        cache.Local["/src/a"] = new LocalHashEntry(new string('c', 64), 3, 42);
        cache.Device["/opt/a"] = new DeployRecord(new string('c', 64), 3, 7, 0x1A4);
        cache.Save(path, "board ssh root@h:22");
        return cache;
    }
}
