using System.Text;
using System.Xml;
using DeviceTest.Framework.Results.Writing;

namespace DeviceTest.Framework.Tests.Results;

/// <summary>
/// The result files' hand-written XML writer against System.Xml's XmlWriter with the settings it replaces (a fragment,
/// two-space indent, "\n", new lines entitized): the same text for the same calls.
/// </summary>
[TestClass]
public sealed class XmlFragmentWriterTests
{
    private const string Specials = "a&b<c>d\"e'f\tg\nh\ri ]]> é € 𝄞 \u2028\u0085";

    private static readonly XmlWriterSettings Settings = new()
    {
        ConformanceLevel = ConformanceLevel.Fragment,
        OmitXmlDeclaration = true,
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Entitize,
        CheckCharacters = true,
    };

    [TestMethod]
    public void A_result_shaped_fragment_is_written_as_XmlWriter_writes_it() => AssertSame(write =>
    {
        write.Start("UnitTestResult");
        write.Attribute("testName", Specials);
        write.Attribute("empty", string.Empty);
        write.Start("Output");
        write.ElementString("StdOut", Specials);
        write.ElementString("StdErr", string.Empty);
        write.Start("ErrorInfo");
        write.ElementString("Message", "failed: 1 < 2 && 3 > 2");
        write.ElementString("StackTrace", null);
        write.End();
        write.Start("failure");
        write.Attribute("message", "x");
        write.Text(string.Empty);
        write.End();
        write.Start("skipped");
        write.End();
        write.End();
        write.Start("ResultFiles");
        write.Start("ResultFile");
        write.Attribute("path", "a/b c.png");
        write.End();
        write.End();
        write.End();
    });

    [TestMethod]
    public void Random_fragments_are_written_as_XmlWriter_writes_them()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var fragment = seed;
            AssertSame(write => WriteRandomElement(write, new Random(fragment), depth: 0));
        }
    }

    [TestMethod]
    public void Characters_XML_cannot_hold_are_made_visible_where_XmlWriter_would_throw()
    {
        var writer = new XmlFragmentWriter();
        writer.WriteStartElement("testcase");
        writer.WriteAttributeString("name", "bell\u0007");
        writer.WriteString("\u001B[31mred\u001B[0m nul\0");
        writer.WriteEndElement();

        Assert.AreEqual("<testcase name=\"bell\\u0007\">red nul\\u0000</testcase>", writer.ToString());
    }

    private static void WriteRandomElement(Calls write, Random random, int depth)
    {
        write.Start("e" + random.Next(3));
        for (var a = random.Next(3); a > 0; a--)
        {
            write.Attribute("a" + a, RandomText(random));
        }

        // Nothing, text, an element with text, child elements, or text and elements mixed.
        for (var content = random.Next(depth >= 3 ? 2 : 4); content > 0; content--)
        {
            switch (random.Next(depth >= 3 ? 2 : 3))
            {
                case 0:
                    write.Text(RandomText(random));
                    break;
                case 1:
                    write.ElementString("s", random.Next(3) == 0 ? string.Empty : RandomText(random));
                    break;
                default:
                    WriteRandomElement(write, random, depth + 1);
                    break;
            }
        }

        write.End();
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        for (var n = random.Next(8); n > 0; n--)
        {
            var at = random.Next(Specials.Length);
            text.Append(char.IsSurrogate(Specials[at]) ? "x" : Specials[at]);
        }

        return text.ToString();
    }

    private static void AssertSame(Action<Calls> calls)
    {
        var expected = new StringBuilder();
        using (var xml = XmlWriter.Create(expected, Settings))
        {
            calls(new Calls(
                xml.WriteStartElement, xml.WriteAttributeString, xml.WriteString, xml.WriteElementString, xml.WriteEndElement));
        }

        var ours = new XmlFragmentWriter();
        calls(new Calls(ours.WriteStartElement, ours.WriteAttributeString, ours.WriteString, ours.WriteElementString, ours.WriteEndElement));

        Assert.AreEqual(expected.ToString(), ours.ToString(), $"\nXmlWriter:\n{expected}\nours:\n{ours}");
    }

    /// <summary>The writer calls a result serializer makes, played on either writer.</summary>
    private sealed record Calls(
        Action<string> Start, Action<string, string?> Attribute, Action<string?> Text, Action<string, string?> ElementString, Action End);
}
