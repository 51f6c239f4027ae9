using System.Text;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// Serializes one self-contained piece of XML (a testcase, a UnitTestResult) to a string, and writes the open and
/// close tags of the containers that hold the spooled pieces.
/// </summary>
internal static class XmlFragment
{
    public const string Declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

    /// <summary>Runs <paramref name="write"/> against a fragment writer and returns the text, ending in a newline.</summary>
    public static string Build(Action<XmlFragmentWriter> write)
    {
        var writer = new XmlFragmentWriter();
        write(writer);
        return writer + "\n";
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
}
