using DeviceTest.Agent.Gateway.Toml;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Tomlyn;
using TomlException = DeviceTest.Agent.Gateway.Toml.TomlException;
using Tomlyn.Model;

namespace DeviceTest.Agent.Tests.Gateway;

[TestClass]
public sealed class TomlDocumentTests
{
    [TestMethod]
    public void Reads_an_aktualizr_lite_sota_toml_with_the_position_of_each_key()
    {
        const string text = """
            # aktualizr-lite configuration
            [tls]
            server = "https://ota-lite.foundries.io:8443"   # the gateway
            pkey_source = 'file'

            [uptane]
            polling_sec = 300
            force_install_completion = false

            [pacman]
            tags = ["main", 'devel',
              # a comment inside an array
              "extra",]
            """;
        var doc = TomlDocument.Parse(text, "sota.toml");

        var tls = doc.GetTable("tls")!;
        Assert.AreEqual("https://ota-lite.foundries.io:8443", tls["server"]);
        Assert.AreEqual("file", tls["pkey_source"]);
        Assert.AreEqual((3, 1), doc.PositionOf(tls, "server"));
        Assert.AreEqual((4, 1), doc.PositionOf(tls, "pkey_source"));
        Assert.AreEqual(300L, doc.GetTable("uptane")!["polling_sec"]);
        Assert.IsFalse((bool)doc.GetTable("uptane")!["force_install_completion"]!);
        CollectionAssert.AreEqual(new object[] { "main", "devel", "extra" }, ((TomlArray)doc.GetTable("pacman")!["tags"]!).ToArray());
        Assert.IsNull(doc.GetTable("storage"));
    }

    [TestMethod]
    public void Arrays_of_tables_inline_tables_multi_line_strings_and_dates_are_valid()
    {
        var doc = TomlDocument.Parse(""""
            [lab]
            owner = { team = "bsp", contact = "bsp@example.com" }
            installed = 2026-03-14T09:26:53Z
            calibrated = 2026-03-01
            notes = """
            Rack 4.
              Left port.
            """
            path = '''C:\no\escapes'''
            [[lab.boards]]
            name = "imx8mm-evk"
            [[lab.boards]]
            name = "rpi4"
            """", "z-60-lab.toml");

        var lab = doc.GetTable("lab")!;
        Assert.AreEqual("bsp", ((TomlTable)lab["owner"]!)["team"]);
        Assert.AreEqual(new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero), ((TomlDateTime)lab["installed"]!).DateTime);
        Assert.AreEqual(TomlDateTimeKind.LocalDate, ((TomlDateTime)lab["calibrated"]!).Kind);
        Assert.AreEqual("Rack 4.\n  Left port.\n", lab["notes"]);
        Assert.AreEqual("C:\\no\\escapes", lab["path"]);
        CollectionAssert.AreEqual(new object[] { "imx8mm-evk", "rpi4" }, ((TomlTableArray)lab["boards"]!).Select(b => b["name"]).ToArray());
    }

    [TestMethod]
    public void Dotted_keys_table_headers_and_arrays_of_tables_nest_and_each_key_has_its_position()
    {
        var doc = TomlDocument.Parse("""
            site.name = "lab"
            [tls]
            server = "https://a"
            [tls.extra]
            x = 1
            [[bins]]
            name = "a"
            [[bins]]
            name = "b"
            [bins.meta]
            "quoted key" = true
            """, "x.toml");

        var site = (TomlTable)doc.Root["site"]!;
        Assert.AreEqual("lab", site["name"]);
        Assert.AreEqual((1, 1), doc.PositionOf(site, "name"));
        Assert.AreEqual((1, 1), doc.PositionOf(doc.Root, "site"));
        Assert.AreEqual(1L, doc.GetTable("tls.extra")!["x"]);
        Assert.AreEqual((4, 6), doc.PositionOf(doc.GetTable("tls")!, "extra"));
        var bins = (TomlTableArray)doc.Root["bins"]!;
        CollectionAssert.AreEqual(new object[] { "a", "b" }, bins.Select(b => b["name"]).ToArray());
        Assert.AreEqual((6, 3), doc.PositionOf(doc.Root, "bins"));
        Assert.IsTrue((bool)((TomlTable)bins[1]["meta"]!)["quoted key"]!);
        Assert.IsFalse(bins[0].ContainsKey("meta"));
    }

    [TestMethod]
    public void A_byte_order_mark_and_crlf_lines_are_read()
    {
        var doc = TomlDocument.Parse("\uFEFF[tls]\r\nserver = \"https://x\"\r\n");
        Assert.AreEqual("https://x", doc.GetTable("tls")!["server"]);
    }

    [TestMethod]
    [DataRow("[tls]\nserver = https://x\n", 2, 10, "strings need quotes")]
    [DataRow("[tls]\nserver = \"https://x\n", 2, 20, "newline in a string")]
    [DataRow("[tls\nserver = 1\n", 1, 5, "`]`")]
    [DataRow("a = 1\na = 2\n", 2, 1, "already defined at (1,1)")]
    [DataRow("[t]\n[t]\n", 2, 1, "`t` is already defined")]
    [DataRow("a = \"bad \\q escape\"\n", 1, 11, "escape")]
    [DataRow("a = 1 b = 2\n", 1, 7, "expecting token `newline`")]
    [DataRow("a =\n", 1, 4, "")]
    [DataRow("key\n", 1, 4, "`=`")]
    [DataRow("a = [1, 2\n", 2, 1, "")]
    [DataRow("a = 1\na.b = 2\n", 2, 1, "already defined")]
    [DataRow("[[bins]]\nname = 'a'\n[bins]\n", 3, 1, "`bins` is already defined")]
    public void Errors_say_file_line_column_and_what(string text, int line, int column, string fragment)
    {
        var e = Assert.ThrowsExactly<TomlException>(() => TomlDocument.Parse(text, "/var/sota/sota.toml"));

        Assert.AreEqual(line, e.Line, e.Message);
        Assert.AreEqual(column, e.Column, e.Message);
        StringAssert.StartsWith(e.Message, $"/var/sota/sota.toml:{line}:{column}: ");
        StringAssert.Contains(e.Message, fragment);
        Assert.IsFalse(e.Message.Contains('\n', StringComparison.Ordinal), "one line: " + e.Message);
    }
}
