using System.Text;
using System.Xml;
using System.Xml.Linq;
using DeviceTest.Hardware.Flashing;
using DeviceTest.Hardware.Flashing.BlockMaps;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>
/// The block map's XML reader against System.Xml's (XmlReader with DTDs prohibited, into XDocument, which DeviceTest
/// used before): the same elements, attributes, text and lines for what is well-formed, and a refusal of what is not,
/// with the file, line and column.
/// </summary>
[TestClass]
public sealed class BlockMapXmlTests
{
    [TestMethod]
    [DataRow("os-2.0.bmap")]
    [DataRow("os-1.4.bmap")]
    [DataRow("os-1.3.bmap")]
    [DataRow("os-1.2.bmap")]
    public void Bmaptool_files_read_as_XmlReader_reads_them(string file)
    {
        var bytes = File.ReadAllBytes(BlockMapFileTests.DataFile(file));
        AssertSameAsXmlReader(bytes);
    }

    [TestMethod]
    [DataRow("<?xml version='1.0' encoding='UTF-8' standalone=\"yes\" ?>\n<!-- a comment -->\n<?pi some data?>\n<bmap version=\"2.0\">\n<A><![CDATA[ 12 <no tag> ]]></A>\n</bmap>\n<!-- after -->\n")]
    [DataRow("<bmap a='x &amp; &lt;y&gt; &quot;q&quot; &apos;s&apos;' b=\"&#65;&#x42;&#x1F600;\" c = \"1\"/>")]
    [DataRow("<bmap v=\"a\tb\nc\r\nd\" w=\"a&#10;b&#9;c\"></bmap >")]
    [DataRow("<bmap>text &gt; more<Nested>a<b>c</b>d</Nested>é € 😀<Empty/><Empty /></bmap>")]
    [DataRow("\n\n  <bmap>\r\n<x>1</x>\r<y>2</y>\n</bmap>  \n")]
    [DataRow("<_a.b-c d.e-f_g=\"1\"><ÉLÉMENT/></_a.b-c>")]
    public void Well_formed_xml_reads_as_XmlReader_reads_it(string text) => AssertSameAsXmlReader(Encoding.UTF8.GetBytes(text));

    [TestMethod]
    [DataRow("<?xml version=\"1.0\"?>\n<bmap version=\"2.0\">\n<ImageSize>12</Image>\n", "3:14", "the end tag </Image> does not match <ImageSize> (opened on line 3)")]
    [DataRow("<bmap version=\"2.0\">\n  <BlockMap>\n", "3:1", "the file ends inside <BlockMap> (opened on line 2): it is cut short")]
    [DataRow("<bmap>&nbsp;</bmap>", "1:7", "unknown entity `&nbsp;`")]
    [DataRow("<bmap>a & b</bmap>", "1:9", "`&` that starts no entity; write &amp;")]
    [DataRow("<bmap>&#0;</bmap>", "1:7", "`&#0;` is not the number of a character XML allows")]
    [DataRow("<bmap a=\"1\" a=\"2\"/>", "1:13", "attribute `a` is given twice in <bmap>")]
    [DataRow("<bmap a=1/>", "1:9", "the value of attribute `a` is not in quotes")]
    [DataRow("<bmap a=\"1\"b=\"2\"/>", "1:12", "expected a space, > or /> in the start tag <bmap")]
    [DataRow("<bmap a=\"<\"/>", "1:10", "`<` in an attribute value")]
    [DataRow("<bmap a/>", "1:8", "expected = after attribute `a`")]
    [DataRow("<!DOCTYPE bmap>\n<bmap/>", "1:1", "it has a DOCTYPE")]
    [DataRow("<bmap/>\n<bmap/>", "2:1", "a second root element after </bmap>")]
    [DataRow("<bmap/>x", "1:8", "text after the root element </bmap>")]
    [DataRow("x<bmap/>", "1:1", "text before the root element")]
    [DataRow(" <?xml version=\"1.0\"?><bmap/>", "1:2", "an XML declaration <?xml ...?> is only allowed at the very start")]
    [DataRow("<?xml encoding=\"UTF-8\"?><bmap/>", "1:1", "the XML declaration has no version")]
    [DataRow("<bmap><!-- a -- b --></bmap>", "1:14", "`--` inside a comment")]
    [DataRow("<bmap><!-- a </bmap>", "1:7", "a comment <!-- is not closed")]
    [DataRow("<bmap>\u0001</bmap>", "1:7", "character U+0001 is not allowed")]
    [DataRow("<bmap>a ]]> b</bmap>", "1:9", "`]]>` in text")]
    [DataRow("<bmap><1/></bmap>", "1:7", "`<` that starts no tag")]
    [DataRow("<bmap></>", "1:9", "expected an end tag's name, found `>`")]
    [DataRow("<bmap", "1:1", "the start tag <bmap is not closed")]
    [DataRow("", "1:1", "there is no element in it")]
    [DataRow("<!-- only a comment -->\n", "2:1", "there is no element in it")]
    public void Malformed_xml_is_refused_with_line_and_column(string text, string lineAndColumn, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var e = Assert.ThrowsExactly<FlashException>(() => BlockMapXml.Parse("os.bmap", bytes));
        Assert.AreEqual(FlashFailure.BadImage, e.Failure);
        StringAssert.StartsWith(e.Message, $"block map os.bmap:{lineAndColumn} is not valid XML: ");
        StringAssert.Contains(e.Message, what);
        var xml = Assert.ThrowsExactly<XmlException>(() => LoadWithXmlReader(bytes), "System.Xml refuses it too");
        if (xml.LineNumber > 0)
        {
            Assert.AreEqual($"{xml.LineNumber}", lineAndColumn.Split(':')[0], $"the line XmlReader names: {xml.Message}");
        }
    }

    [TestMethod]
    public void Bytes_that_are_not_UTF_8_are_refused_with_their_line()
    {
        var bytes = (byte[])[.. "<bmap>\n<a>"u8, 0xC3, 0x28, .. "</a></bmap>"u8];
        var e = Assert.ThrowsExactly<FlashException>(() => BlockMapXml.Parse("os.bmap", bytes));
        StringAssert.StartsWith(e.Message, "block map os.bmap:2 is not valid XML: it is not UTF-8 text");
    }

    [TestMethod]
    public void An_encoding_other_than_UTF_8_is_refused_naming_it()
    {
        var bytes = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><bmap/>");
        var e = Assert.ThrowsExactly<FlashException>(() => BlockMapXml.Parse("os.bmap", bytes));
        StringAssert.Contains(e.Message, "names encoding `ISO-8859-1`; DeviceTest reads block maps in UTF-8, as bmaptool writes them");
    }

    private static void AssertSameAsXmlReader(byte[] bytes)
    {
        var expected = LoadWithXmlReader(bytes).Root!;
        var actual = BlockMapXml.Parse("os.bmap", bytes);
        AssertSame(expected, actual);
    }

    private static void AssertSame(XElement expected, BlockMapElement actual)
    {
        Assert.AreEqual(expected.Name.LocalName, actual.Name);
        Assert.AreEqual(((IXmlLineInfo)expected).LineNumber, actual.Line, $"line of <{actual.Name}>");
        Assert.AreEqual(expected.Value, actual.Value, $"text of <{actual.Name}>");
        CollectionAssert.AreEqual(
            expected.Attributes().Select(a => $"{a.Name.LocalName}={a.Value}").ToArray(),
            actual.Attributes.Select(a => $"{a.Key}={a.Value}").ToArray(),
            $"attributes of <{actual.Name}>");
        var children = expected.Elements().ToList();
        Assert.HasCount(children.Count, actual.Children, $"children of <{actual.Name}>");
        for (var i = 0; i < children.Count; i++)
        {
            AssertSame(children[i], actual.Children[i]);
        }
    }

    private static XDocument LoadWithXmlReader(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XDocument.Load(reader, LoadOptions.SetLineInfo);
    }
}
