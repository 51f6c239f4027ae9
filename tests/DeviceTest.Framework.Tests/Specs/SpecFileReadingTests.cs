using System.Diagnostics;
using System.Text;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>Reading spec files from disk: missing, directories, empty, non-UTF-8, huge.</summary>
[TestClass]
public sealed class SpecFileReadingTests
{
    private string directory = string.Empty;

    [TestInitialize]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), "devicetest-specs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [TestMethod]
    public async Task Loads_a_file_from_disk_sync_and_async()
    {
        var path = Write("net.spec.yml", "sequence:\n  - tests:\n      - { name: a, command: [true] }\n");
        var sync = SpecLoader.Load(path);
        var async = await SpecLoader.LoadAsync(path, CancellationToken.None);
        foreach (var result in new[] { sync, async })
        {
            Assert.IsFalse(result.HasErrors);
            Assert.AreEqual("net", result.Spec!.Name);
            Assert.AreEqual(path, result.FilePath);
        }
    }

    [TestMethod]
    public void A_missing_file_is_one_error()
    {
        var path = Path.Combine(directory, "nope.spec.yml");
        var result = SpecLoader.Load(path);
        var diagnostic = SpecAssert.Has(result, SpecErrorCodes.FileNotFound, 1, 1);
        Assert.HasCount(1, result.Diagnostics);
        Assert.AreEqual(path, diagnostic.Position.File);
        StringAssert.Contains(diagnostic.Message, "file not found");
    }

    [TestMethod]
    public void A_directory_is_one_error()
    {
        var result = SpecLoader.Load(directory);
        SpecAssert.Has(result, SpecErrorCodes.IsDirectory, 1, 1);
        Assert.HasCount(1, result.Diagnostics);
    }

    [TestMethod]
    public void Empty_and_blank_files_are_errors()
    {
        foreach (var content in new[] { string.Empty, "\n\n   \n", "# nothing here\n" })
        {
            var result = SpecLoader.Load(Write("empty.spec.yml", content));
            SpecAssert.Has(result, SpecErrorCodes.Empty, 1, 1);
            Assert.HasCount(1, result.Diagnostics);
        }
    }

    [TestMethod]
    public void Non_utf8_bytes_are_reported_at_the_first_bad_byte()
    {
        var bytes = Encoding.UTF8.GetBytes("sequence:\n  - tests:\n      - name: caf").Concat(new byte[] { 0xE9 })
            .Concat(Encoding.UTF8.GetBytes("\n        command: [x]\n")).ToArray();
        var path = Path.Combine(directory, "latin1.spec.yml");
        File.WriteAllBytes(path, bytes);

        var result = SpecLoader.Load(path);
        var diagnostic = SpecAssert.Has(result, SpecErrorCodes.NotUtf8, 3, 18);
        Assert.HasCount(1, result.Diagnostics);
        StringAssert.Contains(diagnostic.Message, "0xE9");
        StringAssert.Contains(diagnostic.Message, "UTF-8");
    }

    [TestMethod]
    public void Columns_count_characters_not_bytes_before_a_bad_byte()
    {
        // "é" is two bytes in UTF-8 but one column.
        var bytes = Encoding.UTF8.GetBytes("name: é").Concat(new byte[] { 0xFF }).ToArray();
        var path = Path.Combine(directory, "bad.spec.yml");
        File.WriteAllBytes(path, bytes);
        SpecAssert.Has(SpecLoader.Load(path), SpecErrorCodes.NotUtf8, 1, 8);
    }

    [TestMethod]
    public void Utf16_files_are_not_utf8()
    {
        var path = Path.Combine(directory, "utf16.spec.yml");
        File.WriteAllText(path, "sequence: []\n", Encoding.Unicode);
        SpecAssert.Has(SpecLoader.Load(path), SpecErrorCodes.NotUtf8, 1, 1);
    }

    [TestMethod]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        var path = Path.Combine(directory, "bom.spec.yml");
        File.WriteAllText(path, "sequence:\n  - tests:\n      - { name: ü, command: [x] }\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var result = SpecLoader.Load(path);
        Assert.IsEmpty(result.Diagnostics, string.Join('\n', result.Diagnostics));
        Assert.AreEqual("ü", result.Spec!.AllTests.Single().Name);
        Assert.AreEqual((3, 9), (result.Spec.AllTests.Single().Position.Line, result.Spec.AllTests.Single().Position.Column));
    }

    [TestMethod]
    public async Task A_50_MB_file_fails_fast_with_one_error_and_little_memory()
    {
        var path = Path.Combine(directory, "huge.spec.yml");
        var chunk = new StringBuilder();
        for (var i = 0; chunk.Length < 1024 * 1024; i++)
        {
            chunk.Append("      - { name: t").Append(i).Append(", command: [x] }\n");
        }

        var bytes = Encoding.UTF8.GetBytes(chunk.ToString());
        await using (var stream = File.Create(path))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("sequence:\n  - tests:\n"));
            for (var i = 0; i < 50; i++)
            {
                await stream.WriteAsync(bytes);
            }
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var result = SpecLoader.Load(path);
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var diagnostic = SpecAssert.Has(result, SpecErrorCodes.TooLarge, 1, 1);
        Assert.HasCount(1, result.Diagnostics);
        StringAssert.Contains(diagnostic.Message, "8 MiB");
        Assert.IsLessThan(1024 * 1024, allocated, $"allocated {allocated} bytes: the file must not be read");
        Assert.IsLessThan(TimeSpan.FromSeconds(5), watch.Elapsed); // reading it would take far longer than a stat

        var async = await SpecLoader.LoadAsync(path, CancellationToken.None);
        SpecAssert.Has(async, SpecErrorCodes.TooLarge, 1, 1);
    }

    [TestMethod]
    public void A_file_just_under_the_limit_is_parsed()
    {
        var path = Path.Combine(directory, "big.spec.yml");
        var text = new StringBuilder("sequence:\n  - tests:\n      - { name: t, command: [x] }\n");
        var padding = "# " + new string('x', 1000) + "\n";
        while (text.Length + padding.Length < 7 * 1024 * 1024)
        {
            text.Append(padding);
        }

        File.WriteAllText(path, text.ToString());
        var result = SpecLoader.Load(path);
        Assert.IsEmpty(result.Diagnostics, string.Join('\n', result.Diagnostics.Take(3)));
    }

    [TestMethod]
    public void Deep_nesting_is_an_error_not_a_crash()
    {
        var path = Write("deep.spec.yml", "sequence: " + new string('[', 1_000_000) + new string(']', 1_000_000) + "\n");
        var diagnostic = SpecAssert.Has(SpecLoader.Load(path), SpecErrorCodes.Syntax, 1, 74); // the 64th [ is the 65th level (the root mapping is the first)
        StringAssert.Contains(diagnostic.Message, "nested more than 64 levels");
    }

    [TestMethod]
    public void Self_referencing_aliases_are_rejected_not_followed()
    {
        var result = SpecAssert.Load("sequence:\n  - tests:\n      - { name: a, command: &c [x, *c] }\n");
        SpecAssert.Has(result, SpecErrorCodes.WrongType, 3, 29); // an alias reports where its anchor stands
    }

    [TestMethod]
    public void LoadMany_returns_one_result_per_path_in_order()
    {
        var good = Write("good.spec.yml", "sequence: [{ tests: [{ name: a, command: [x] }] }]\n");
        var bad = Write("bad.spec.yml", "sequence: [{ tests: [{ name: a }] }]\n");
        var missing = Path.Combine(directory, "missing.spec.yml");

        var results = SpecLoader.LoadMany([good, bad, missing, directory]);

        CollectionAssert.AreEqual(new[] { good, bad, missing, directory }, results.Select(r => r.FilePath).ToArray());
        Assert.IsFalse(results[0].HasErrors);
        Assert.AreEqual(SpecErrorCodes.MissingKey, results[1].Diagnostics.Single().Code);
        Assert.AreEqual(SpecErrorCodes.FileNotFound, results[2].Diagnostics.Single().Code);
        Assert.AreEqual(SpecErrorCodes.IsDirectory, results[3].Diagnostics.Single().Code);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
