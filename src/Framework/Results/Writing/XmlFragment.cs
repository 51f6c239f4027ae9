using System.Text;
using System.Xml;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// Serializes one self-contained piece of XML (a testcase, a UnitTestResult) to a string, and writes the open and
/// close tags of the containers that hold the spooled pieces.
/// </summary>
internal static class XmlFragment
{
    private static readonly XmlWriterSettings Settings = new()
    {
        ConformanceLevel = ConformanceLevel.Fragment,
        OmitXmlDeclaration = true,
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        // Keeps \r, \n and \t in attributes and \r in text as character references, so readers get them back.
        NewLineHandling = NewLineHandling.Entitize,
        CheckCharacters = true,
    };

    public const string Declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

    /// <summary>Runs <paramref name="write"/> against a fragment writer and returns the text, ending in a newline.</summary>
    public static string Build(Action<XmlWriter> write)
    {
        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, Settings))
        {
            write(writer);
        }

        return text.Append('\n').ToString();
    }

    /// <summary>An open tag written by hand; attribute values are cleaned and escaped, null values are left out.</summary>
    public static string Open(string name, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        var builder = new StringBuilder().Append('<').Append(name);
        foreach (var (attribute, value) in attributes)
        {
            if (value is not null)
            {
                builder.Append(' ').Append(attribute).Append("=\"").Append(XmlText.Attribute(value)).Append('"');
            }
        }

        return builder.Append(">\n").ToString();
    }

    public static string Close(string name) => $"</{name}>\n";

    /// <summary>Writes an element with text content; the text is cleaned first.</summary>
    public static void Element(XmlWriter writer, string name, string text)
    {
        writer.WriteStartElement(name);
        writer.WriteString(XmlText.Clean(text));
        writer.WriteEndElement();
    }

    /// <summary>Writes an attribute; the value is cleaned first.</summary>
    public static void Attribute(XmlWriter writer, string name, string value) =>
        writer.WriteAttributeString(name, XmlText.Clean(value));
}
