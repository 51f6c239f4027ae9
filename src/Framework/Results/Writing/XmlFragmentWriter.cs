using System.Text;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// Writes one piece of a result file (a testcase, a UnitTestResult): elements, attributes and text, indented two
/// spaces a level, empty elements as <c>&lt;a /&gt;</c>, text and attribute values cleaned (<see cref="XmlText.Clean"/>)
/// and escaped; the same text System.Xml's XmlWriter writes for a fragment with those settings (a test checks both
/// against each other).
/// </summary>
/// <remarks>
/// Hand-written rather than System.Xml's XmlWriter: these few calls brought 0.48 MB of System.Private.Xml into the
/// native devicetest (its writers for every encoding and output method, a 64 KB character table; docs/native.md).
/// </remarks>
internal sealed class XmlFragmentWriter
{
    private const string Indent = "  ";

    private readonly StringBuilder _text = new();
    private readonly Stack<(string Name, bool Mixed)> _open = new();

    /// <summary>The start tag's '&gt;' is not written yet: attributes may follow, and an empty element becomes <c>&lt;a /&gt;</c>.</summary>
    private bool _inStartTag;

    /// <summary>
    /// The current content holds text (or is inside content that does): no new lines or indents are added to it, as
    /// they would change the text (XmlWriter's mixed content).
    /// </summary>
    private bool _mixed;

    public void WriteStartElement(string name)
    {
        EndStartTag();
        if (!_mixed && _text.Length > 0)
        {
            NewLine(_open.Count);
        }

        _text.Append('<').Append(name);
        _open.Push((name, _mixed));
        _inStartTag = true;
    }

    public void WriteAttributeString(string name, string? value)
    {
        if (!_inStartTag)
        {
            throw new InvalidOperationException($"attribute '{name}' after the start tag of '{(_open.TryPeek(out var e) ? e.Name : "?")}' was closed");
        }

        _text.Append(' ').Append(name).Append("=\"").Append(XmlText.Attribute(value)).Append('"');
    }

    public void WriteString(string? text)
    {
        if (_open.Count == 0)
        {
            throw new InvalidOperationException("text outside an element");
        }

        EndStartTag();
        _mixed = true;
        foreach (var c in XmlText.Clean(text))
        {
            _ = c switch
            {
                '&' => _text.Append("&amp;"),
                '<' => _text.Append("&lt;"),
                '>' => _text.Append("&gt;"),
                '\r' => _text.Append("&#xD;"),
                _ => _text.Append(c),
            };
        }
    }

    /// <summary>An element with text content: <c>&lt;name&gt;value&lt;/name&gt;</c>, or <c>&lt;name /&gt;</c> when the value is empty.</summary>
    public void WriteElementString(string name, string? value)
    {
        WriteStartElement(name);
        if (!string.IsNullOrEmpty(value))
        {
            WriteString(value);
        }

        WriteEndElement();
    }

    public void WriteEndElement()
    {
        var (name, outerMixed) = _open.Pop();
        if (_inStartTag)
        {
            _text.Append(" />");
            _inStartTag = false;
        }
        else
        {
            if (!_mixed)
            {
                NewLine(_open.Count);
            }

            _text.Append("</").Append(name).Append('>');
        }

        _mixed = outerMixed;
    }

    /// <summary>What was written; every element must be ended.</summary>
    public override string ToString() =>
        _open.Count == 0 ? _text.ToString() : throw new InvalidOperationException($"element '{_open.Peek().Name}' was not ended");

    private void EndStartTag()
    {
        if (_inStartTag)
        {
            _text.Append('>');
            _inStartTag = false;
        }
    }

    private void NewLine(int depth)
    {
        _text.Append('\n');
        for (var i = 0; i < depth; i++)
        {
            _text.Append(Indent);
        }
    }
}
