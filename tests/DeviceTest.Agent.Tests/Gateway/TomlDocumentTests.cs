using DeviceTest.Agent.Gateway.Toml;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Agent.Tests.Gateway;

[TestClass]
public sealed class TomlDocumentTests
{
    [TestMethod]
    public void ReadsAktualizrLiteSotaToml()
    {
        const string text = """
            # aktualizr-lite configuration
            [tls]
            server = "https://ota-lite.foundries.io:8443"   # the gateway
            ca_source = "file"
            pkey_source = 'file'

            [provision]
            server = "https://ota-lite.foundries.io:8443"
            primary_ecu_hardware_id = "intel-corei7-64"

            [uptane]
            polling_sec = 300
            force_install_completion = false

            [pacman]
            tags = ["main", 'devel',
              # a comment inside an array
              "extra",]

            [storage]
            path = "/var/sota/"
            """;
        var doc = TomlDocument.Parse(text, "sota.toml");

        Assert.AreEqual("https://ota-lite.foundries.io:8443", doc.GetTable("tls")!.GetString("server"));
        Assert.AreEqual("file", doc.GetTable("tls")!.GetString("pkey_source"));
        Assert.IsTrue(doc.GetTable("uptane")!.TryGetValue("polling_sec", out var polling));
        Assert.AreEqual(300L, polling.AsInteger());
        Assert.IsTrue(doc.GetTable("uptane")!.TryGetValue("force_install_completion", out var force));
        Assert.IsFalse(force.AsBoolean());
        Assert.IsTrue(doc.GetTable("pacman")!.TryGetValue("tags", out var tags));
        CollectionAssert.AreEqual(new[] { "main", "devel", "extra" }, tags.AsArray().Select(t => t.AsString()).ToArray());
        Assert.AreEqual("/var/sota/", doc.GetTable("storage")!.GetString("path"));
        Assert.AreEqual(3, doc.GetTable("tls")!.TryGetValue("server", out var server) ? server.Line : -1);
        Assert.AreEqual(10, server.Column);
    }

    [TestMethod]
    public void BasicStringEscapesAndLiteralStringsAreKeptApart()
    {
        var doc = TomlDocument.Parse("""
            a = "tab\there \"quoted\" back\\slash \u00e9 \U0001F600 hash # not a comment"
            b = 'C:\no\escapes "here"'
            c = ""
            """);

        Assert.AreEqual("tab\there \"quoted\" back\\slash é 😀 hash # not a comment", doc.Root.GetString("a"));
        Assert.AreEqual("C:\\no\\escapes \"here\"", doc.Root.GetString("b"));
        Assert.AreEqual(string.Empty, doc.Root.GetString("c"));
    }

    [TestMethod]
    public void SubTablesDottedAndQuotedKeys()
    {
        var doc = TomlDocument.Parse("""
            top = 1
            [a.b]
            x = +1_000
            site."google.com" = true
            [a]
            y = 0x1_0
            [ "quoted key" ]
            z = 1.5e3
            """);

        Assert.IsTrue(doc.GetTable("a.b")!.TryGetValue("x", out var x));
        Assert.AreEqual(1000L, x.AsInteger());
        Assert.IsTrue(doc.GetTable("a.b.site")!.TryGetValue("google.com", out var g));
        Assert.IsTrue(g.AsBoolean());
        Assert.IsTrue(doc.Root.TryGetTable("quoted key", out var q));
        Assert.IsTrue(q.TryGetValue("z", out var z));
        Assert.AreEqual(1500.0, (double)z.Value);
        Assert.IsTrue(doc.GetTable("a")!.TryGetValue("y", out var y), "[a] defined after [a.b] is allowed");
        Assert.AreEqual(16L, y.AsInteger());
    }

    [TestMethod]
    public void CrLfLinesAndBomAreRead()
    {
        var doc = TomlDocument.Parse("\uFEFF[tls]\r\nserver = \"https://x\"\r\n");
        Assert.AreEqual("https://x", doc.GetTable("tls")!.GetString("server"));
    }

    [TestMethod]
    [DataRow("[tls]\nserver = https://x\n", 2, 10, "strings need quotes")]
    [DataRow("[tls]\nserver = \"https://x\n", 2, 10, "not closed")]
    [DataRow("[tls\nserver = 1\n", 1, 5, "expected ']'")]
    [DataRow("a = 1\na = 2\n", 2, 1, "defined twice (first at line 1)")]
    [DataRow("[t]\n[t]\n", 2, 1, "table [t] is defined twice")]
    [DataRow("a = \"bad \\q escape\"\n", 1, 10, "unknown escape '\\q'")]
    [DataRow("a = 1 b = 2\n", 1, 7, "after the value")]
    [DataRow("a =\n", 1, 4, "expected a value")]
    [DataRow("= 1\n", 1, 1, "expected a key")]
    [DataRow("key\n", 1, 4, "expected '='")]
    [DataRow("[[bins]]\n", 1, 1, "arrays of tables")]
    [DataRow("a = { b = 1 }\n", 1, 5, "inline tables")]
    [DataRow("a = [1, 2\n", 1, 5, "not closed with ']'")]
    [DataRow("a = 1\na.b = 2\n", 2, 1, "already a value")]
    [DataRow("d = 1979-05-27\n", 1, 5, "dates and times")]
    [DataRow("s = \"\"\"multi\"\"\"\n", 1, 5, "multi-line strings")]
    public void ErrorsSayWhereAndWhat(string text, int line, int column, string fragment)
    {
        var e = Assert.ThrowsExactly<TomlException>(() => TomlDocument.Parse(text, "/var/sota/sota.toml"));

        Assert.AreEqual(line, e.Line, e.Message);
        Assert.AreEqual(column, e.Column, e.Message);
        StringAssert.StartsWith(e.Message, $"/var/sota/sota.toml:{line}:{column}: ");
        StringAssert.Contains(e.Message, fragment);
    }

    [TestMethod]
    public void WrongKindSaysWhatWasFound()
    {
        var doc = TomlDocument.Parse("[tls]\nserver = 8443\n");
        Assert.IsTrue(doc.GetTable("tls")!.TryGetValue("server", out var v));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => v.AsString());
        StringAssert.Contains(e.Message, "expected a string, found an integer");
    }
}
