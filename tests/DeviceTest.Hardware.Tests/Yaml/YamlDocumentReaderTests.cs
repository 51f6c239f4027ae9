using System.Text;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Tests.Yaml;

/// <summary>The shared reading layer, seen through devices files (DT1xxx).</summary>
[TestClass]
public sealed class YamlDocumentReaderTests
{
    private string directory = string.Empty;

    [TestInitialize]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), "devicetest-yaml-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    private static YamlDiagnostic Single(DeviceFileLoadResult result, string code, int line, int column)
    {
        Assert.HasCount(1, result.Diagnostics, string.Join('\n', result.Diagnostics));
        var diagnostic = result.Diagnostics[0];
        Assert.AreEqual(code, diagnostic.Code, diagnostic.ToString());
        Assert.AreEqual((line, column), (diagnostic.Position.Line, diagnostic.Position.Column), diagnostic.ToString());
        Assert.IsTrue(diagnostic.IsError);
        return diagnostic;
    }

    [TestMethod]
    public void Missing_file_and_directory()
    {
        var missing = Path.Combine(directory, "devices.yml");
        var diagnostic = Single(DeviceFileLoader.Load(missing), DeviceFileErrorCodes.FileNotFound, 1, 1);
        Assert.AreEqual($"{missing}:1:1: error DT1001: file not found (looked for {missing}); check the path", diagnostic.ToString());
        Single(DeviceFileLoader.Load(directory), DeviceFileErrorCodes.IsDirectory, 1, 1);
    }

    [TestMethod]
    public void Empty_file()
    {
        var path = Path.Combine(directory, "devices.yml");
        File.WriteAllText(path, string.Empty);
        Single(DeviceFileLoader.Load(path), DeviceFileErrorCodes.Empty, 1, 1);
    }

    [TestMethod]
    public async Task Non_utf8_bytes_sync_and_async()
    {
        var path = Path.Combine(directory, "devices.yml");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("devices:\n  b\u00e4r:\n    ssh: { host: "), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(" }\n")]);
        var diagnostic = Single(DeviceFileLoader.Load(path), DeviceFileErrorCodes.NotUtf8, 3, 18);
        StringAssert.Contains(diagnostic.Message, "0xC3");
        Single(await DeviceFileLoader.LoadAsync(path, CancellationToken.None), DeviceFileErrorCodes.NotUtf8, 3, 18);
    }

    [TestMethod]
    public async Task A_50_MB_file_is_refused_without_reading_it()
    {
        var path = Path.Combine(directory, "devices.yml");
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("# a comment line that pads the devices file out\n", 20_000)));
        await using (var stream = File.Create(path))
        {
            while (stream.Length < 50L * 1024 * 1024)
            {
                await stream.WriteAsync(chunk);
            }
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = DeviceFileLoader.Load(path);
        Assert.IsLessThan(1024 * 1024, GC.GetAllocatedBytesForCurrentThread() - before);
        StringAssert.Contains(Single(result, DeviceFileErrorCodes.TooLarge, 1, 1).Message, "8 MiB");
        Single(await DeviceFileLoader.LoadAsync(path, CancellationToken.None), DeviceFileErrorCodes.TooLarge, 1, 1);
    }

    [TestMethod]
    public void Reading_text_and_bytes_enforces_the_same_limit()
    {
        var reader = new YamlDocumentReader("x.yml", DeviceFileErrorCodes.For) { MaxBytes = 16 };
        Assert.IsNull(reader.ReadBytes(Encoding.UTF8.GetBytes("devices: { a: { ssh: { host: h } } }\n")));
        Assert.AreEqual(DeviceFileErrorCodes.TooLarge, reader.Diagnostics.Single().Code);
        var textReader = new YamlDocumentReader("x.yml", DeviceFileErrorCodes.For) { MaxBytes = 16 };
        Assert.IsNull(textReader.ReadText("devices: { a: { ssh: { host: h } } }\n"));
        Assert.AreEqual(DeviceFileErrorCodes.TooLarge, textReader.Diagnostics.Single().Code);
    }

    [TestMethod]
    public void Syntax_errors_carry_the_parser_position()
    {
        var diagnostic = Single(DeviceFileLoader.LoadText("devices:\n  b:\n    ssh: { host: h\n", "devices.yml"), DeviceFileErrorCodes.Syntax, 4, 1);
        StringAssert.StartsWith(diagnostic.Message, "YAML syntax error: ");
        Single(DeviceFileLoader.LoadText("devices:\n  b: c: d\n", "devices.yml"), DeviceFileErrorCodes.Syntax, 2, 7);
    }

    [TestMethod]
    public void Several_documents_are_an_error()
    {
        var result = DeviceFileLoader.LoadText("devices: {}\n---\ndevices: {}\n", "devices.yml");
        Single(result, DeviceFileErrorCodes.MultipleDocuments, 3, 1);
    }

    [TestMethod]
    public void Accessors_collect_problems_instead_of_throwing()
    {
        var reader = new YamlDocumentReader("t.yml", DeviceFileErrorCodes.For);
        var root = reader.ReadText("a: 5\nb: x\nc: -1\nd: [1]\ne: yes\nf: 1h30m\ng: ~\n");
        var map = reader.AsMapping(root!, "the test")!;
        map.CheckKeys("a", "b", "c", "d", "e", "f", "g");
        Assert.AreEqual(5, map.Number("a"));
        Assert.IsNull(map.Number("b"));
        Assert.IsNull(map.Number("c"));
        Assert.IsNull(map.Text("d"));
        Assert.IsTrue(map.Flag("e"));
        Assert.AreEqual(TimeSpan.FromMinutes(90), map.Duration("f"));
        Assert.IsNull(map.Text("g"));
        Assert.IsNull(map.Text("missing"));
        Assert.IsNull(map.Text("missing-required", required: true));
        var summary = reader.Diagnostics.Select(d => $"{d.Position.Line}:{d.Position.Column} {d.Code}").ToArray();
        CollectionAssert.AreEqual(new[] { "2:4 DT1024", "3:4 DT1025", "4:4 DT1021", "7:4 DT1023", "1:1 DT1022" }, summary);
        Assert.IsTrue(map.HasValue("a"));
        Assert.IsFalse(map.HasValue("g"));
        Assert.IsTrue(map.Contains("g"));
    }

    [TestMethod]
    public void Suggestions_are_close_keys_only()
    {
        string[] keys = ["name", "command", "timeout", "env", "on_host"];
        Assert.AreEqual("command", KeySuggestion.Closest("comand", keys));
        Assert.AreEqual("command", KeySuggestion.Closest("cmomand", keys));
        Assert.AreEqual("timeout", KeySuggestion.Closest("Timeout", keys));
        Assert.AreEqual("on_host", KeySuggestion.Closest("onhost", keys));
        Assert.IsNull(KeySuggestion.Closest("frobnicate", keys));
        Assert.IsNull(KeySuggestion.Closest("x", keys));
    }
}
