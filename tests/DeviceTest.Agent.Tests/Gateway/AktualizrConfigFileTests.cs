using DeviceTest.Agent.Gateway.Config;
using DeviceTest.Agent.Tests.Cli;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Agent.Tests.Gateway;

/// <summary>
/// One configuration file read as aktualizr reads it: boost's <c>read_ini</c> (property_tree/ini_parser.hpp) and then
/// every <c>"</c> removed from a value (aktualizr's <c>Utils::stripQuotes</c>).
/// </summary>
[TestClass]
public sealed class AktualizrConfigFileTests
{
    [TestMethod]
    public void An_LmP_sota_toml_is_read_with_the_position_of_each_section_and_key()
    {
        var path = RepositoryFiles.Path("tests", "DeviceTest.Agent.Tests", "Gateway", "AktualizrLite", "var-sota", "sota.toml");

        var file = AktualizrConfigFile.Load(path);

        Assert.AreEqual(path, file.SourceName);
        CollectionAssert.AreEqual(new[] { "tls", "provision", "uptane", "pacman", "storage", "import" }, file.Sections.Select(s => s.Name).ToArray());
        var tls = file.FindSection("tls")!;
        Assert.AreEqual((2, 2), (tls.Line, tls.Column), "the name's first character");
        Assert.AreEqual(new AktualizrConfigKey("server", "https://ota-lite.foundries.io:8443", 3, 1), tls.Find("server"));
        Assert.AreEqual("file", tls.Find("pkey_source")!.Value);
        Assert.AreEqual(new AktualizrConfigKey("tags", "main", 19, 1), file.FindSection("pacman")!.Find("tags"));
        Assert.AreEqual("/var/sota/pkey.pem", file.FindSection("import")!.Find("tls_pkey_path")!.Value);
        Assert.IsEmpty(file.TopLevelKeys);
        Assert.IsNull(file.FindSection("p11"));
        Assert.IsNull(file.FindSection("TLS"), "names are case-sensitive");
        Assert.IsNull(tls.Find("Server"));
    }

    [TestMethod]
    public void A_value_without_quotes_is_read_as_aktualizr_reads_it()
    {
        var file = AktualizrConfigFile.Parse("[tls]\nserver = https://ota-lite.foundries.io:8443\n[pacman]\ntags = main\n", "sota.toml");

        Assert.AreEqual("https://ota-lite.foundries.io:8443", file.FindSection("tls")!.Find("server")!.Value);
        Assert.AreEqual("main", file.FindSection("pacman")!.Find("tags")!.Value);
    }

    [TestMethod]
    public void Every_double_quote_is_removed_from_a_value_wherever_it_is_and_nothing_else_is_unquoted()
    {
        var s = AktualizrConfigFile.Parse("""
            [s]
            quoted = "https://gw"
            inside = say "hi" to "them"
            empty = ""
            escaped = "a\"b\tc"
            single = 'file'
            "quoted key" = x
            """).FindSection("s")!;

        Assert.AreEqual("https://gw", s.Find("quoted")!.Value);
        Assert.AreEqual("say hi to them", s.Find("inside")!.Value);
        Assert.AreEqual(string.Empty, s.Find("empty")!.Value);
        Assert.AreEqual("a\\b\\tc", s.Find("escaped")!.Value, "no escapes: only the quotes go");
        Assert.AreEqual("'file'", s.Find("single")!.Value);
        Assert.AreEqual("x", s.Find("\"quoted key\"")!.Value, "a key keeps its quotes");
    }

    [TestMethod]
    public void A_comment_after_a_value_stays_part_of_the_value_as_in_aktualizr()
    {
        var s = AktualizrConfigFile.Parse("[tls]\nserver = \"https://gw:8443\"   # the gateway\nca_source = file ; or pkcs11\n").FindSection("tls")!;

        Assert.AreEqual("https://gw:8443   # the gateway", s.Find("server")!.Value);
        Assert.AreEqual("file ; or pkcs11", s.Find("ca_source")!.Value);
    }

    [TestMethod]
    public void Lines_starting_with_a_semicolon_or_a_hash_after_blanks_are_comments()
    {
        var file = AktualizrConfigFile.Parse("# [tls]\n  ; server = x\n[s]\n\t# k = 1\n;[t]\nk = 2\n\n   \n");

        Assert.AreEqual("s", file.Sections.Single().Name);
        Assert.AreEqual(new AktualizrConfigKey("k", "2", 6, 1), file.Sections.Single().Keys.Single());
    }

    [TestMethod]
    public void A_section_is_named_by_the_text_up_to_the_first_bracket_without_blanks_and_the_rest_of_the_line_is_ignored()
    {
        var file = AktualizrConfigFile.Parse("[ tls ] = trailing text\na = 1\n[[lab.boards]]\nb = 2\n[x]y]\nc = 3\n[]\nd = 4\n");

        CollectionAssert.AreEqual(new[] { "tls", "[lab.boards", "x", string.Empty }, file.Sections.Select(s => s.Name).ToArray());
        Assert.AreEqual((1, 3), (file.Sections[0].Line, file.Sections[0].Column));
        Assert.AreEqual((3, 2), (file.Sections[1].Line, file.Sections[1].Column), "[[a]] is the section \"[a\"");
        Assert.AreEqual("4", file.FindSection(string.Empty)!.Find("d")!.Value);
        Assert.AreEqual((7, 2), (file.Sections[3].Line, file.Sections[3].Column), "an empty name: where the ] is");
    }

    [TestMethod]
    public void Key_and_value_are_split_at_the_first_equals_sign_and_blanks_around_them_are_removed()
    {
        var s = AktualizrConfigFile.Parse("[s]\n   url  =  https://gw/?a=b&c=d  \t\nnothing =\nk=v\n").FindSection("s")!;

        Assert.AreEqual(new AktualizrConfigKey("url", "https://gw/?a=b&c=d", 2, 4), s.Find("url"));
        Assert.AreEqual(string.Empty, s.Find("nothing")!.Value);
        Assert.AreEqual("v", s.Find("k")!.Value);
    }

    [TestMethod]
    public void Only_the_classic_locale_blanks_are_removed()
    {
        var s = AktualizrConfigFile.Parse("[s]\n\v\fk\f=\v v \u00A0\r\nnbsp\u00A0= x\n").FindSection("s")!;

        Assert.AreEqual("v \u00A0", s.Find("k")!.Value, "a no-break space is not a blank for boost");
        Assert.AreEqual((2, 3), (s.Find("k")!.Line, s.Find("k")!.Column));
        Assert.AreEqual("x", s.Find("nbsp\u00A0")!.Value);
    }

    [TestMethod]
    public void A_section_without_keys_is_dropped_so_writing_it_again_is_not_a_duplicate()
    {
        var file = AktualizrConfigFile.Parse("[t]\n# nothing yet\n[t]\nk = 1\n[empty]\n[s]\nk = 2\n[last]\n");

        CollectionAssert.AreEqual(new[] { "t", "s" }, file.Sections.Select(s => s.Name).ToArray());
        Assert.AreEqual(3, file.FindSection("t")!.Line, "the second [t], which has the key");
        Assert.IsNull(file.FindSection("empty"));
        Assert.IsNull(file.FindSection("last"));
    }

    [TestMethod]
    public void Keys_before_any_section_belong_to_no_section()
    {
        var file = AktualizrConfigFile.Parse("server = https://top\n[tls]\nserver = https://tls\n");

        Assert.AreEqual(new AktualizrConfigKey("server", "https://top", 1, 1), file.TopLevelKeys.Single());
        Assert.AreEqual("https://tls", file.FindSection("tls")!.Find("server")!.Value, "not a duplicate: another level");
    }

    [TestMethod]
    public void A_byte_order_mark_and_crlf_line_ends_are_read()
    {
        var file = AktualizrConfigFile.Parse("\uFEFF[tls]\r\nserver = \"https://x\"\r\n\r\n[import]\r\ntls_pkey_path = pkey.pem\r\n");

        var tls = file.FindSection("tls")!;
        Assert.AreEqual((1, 2), (tls.Line, tls.Column));
        Assert.AreEqual(new AktualizrConfigKey("server", "https://x", 2, 1), tls.Find("server"));
        Assert.AreEqual("pkey.pem", file.FindSection("import")!.Find("tls_pkey_path")!.Value);
    }

    [TestMethod]
    public void Only_a_line_feed_ends_a_line()
    {
        var file = AktualizrConfigFile.Parse("[s]\rk = 1\n[t]\nk = a\rb\n");

        Assert.IsNull(file.FindSection("s"), "[s]\\rk = 1 is one line: the section s, the rest ignored, no keys");
        Assert.AreEqual("a\rb", file.FindSection("t")!.Find("k")!.Value);
    }

    [TestMethod]
    [DataRow("[tls\nserver = x\n", 1, 1, "unmatched '['")]
    [DataRow("[tls]\n  server\n", 2, 3, "'=' character not found in line")]
    [DataRow("[pacman]\ntags = [\"main\",\n  \"devel\"]\n", 3, 3, "'=' character not found in line")]
    [DataRow("[lab]\nnotes = \"\"\"\nRack 4.\n\"\"\"\n", 3, 1, "'=' character not found in line")]
    [DataRow("[tls]\n\t= x\n", 2, 2, "key expected")]
    [DataRow("[tls]\na = 1\n  a = 2\n", 3, 3, "duplicate key name 'a' in [tls] (first at line 2)")]
    [DataRow("a = 1\na=2\n", 2, 1, "duplicate key name 'a' (first at line 1)")]
    [DataRow("[t]\nk = 1\n[t]\n", 3, 2, "duplicate section name 't' (first at line 1)")]
    [DataRow("[t]\nk = 1\n[empty]\n[ t ]\n", 4, 3, "duplicate section name 't' (first at line 1)")]
    [DataRow("t = 1\n[t]\nk = 2\n", 2, 2, "duplicate section name 't' (a key before the first section, line 1, has that name)")]
    [DataRow("[[lab.boards]]\nname = a\n[[lab.boards]]\nname = b\n", 3, 2, "duplicate section name '[lab.boards'")]
    public void What_aktualizr_refuses_is_refused_with_file_line_column_and_what_to_do(string text, int line, int column, string fragment)
    {
        var e = Assert.ThrowsExactly<AktualizrConfigException>(() => AktualizrConfigFile.Parse(text, "/var/sota/sota.toml"));

        Assert.AreEqual((line, column), (e.Line, e.Column), e.Message);
        StringAssert.StartsWith(e.Message, $"/var/sota/sota.toml:{line}:{column}: ");
        StringAssert.Contains(e.Message, fragment);
        StringAssert.Contains(e.Message, "aktualizr-lite refuses this file too");
        Assert.AreEqual("/var/sota/sota.toml", e.SourceName);
        Assert.IsFalse(e.Message.Contains('\n', StringComparison.Ordinal), "one line: " + e.Message);
    }

    [TestMethod]
    public void A_file_larger_than_the_limit_is_refused_before_it_is_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"devicetest-large-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, "#" + new string('x', AktualizrConfigFile.MaxLength));
        try
        {
            var e = Assert.ThrowsExactly<AktualizrConfigException>(() => AktualizrConfigFile.Load(path));

            Assert.AreEqual($"{path}:1:1: the file is larger than 4 MiB; this is not a configuration file", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
