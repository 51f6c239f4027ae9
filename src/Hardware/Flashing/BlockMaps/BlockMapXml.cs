using System.Globalization;
using System.Text;

namespace DeviceTest.Hardware.Flashing.BlockMaps;

/// <summary>
/// Reads the XML of a bmaptool block map into <see cref="BlockMapElement"/>s: the XML declaration, comments,
/// processing instructions, CDATA, elements with attributes, text with the five standard entities and character
/// references; UTF-8 (or UTF-16 with a byte order mark). What is not well-formed XML is refused with the file, line
/// and column, and what went wrong; a DOCTYPE is refused, as XmlReader with DTD processing prohibited did. Namespaces
/// are not interpreted (block maps have none): a name is compared as written.
/// </summary>
/// <remarks>
/// Hand-written rather than System.Xml's XmlReader and XDocument: those brought 1.39 MB into the native devicetest
/// (System.Private.Xml's reader with its schema types, XDocument, and the base library's code they root: decimal and
/// 128-bit number formatting, non-generic sorting; docs/native.md), for files of a few elements. A test reads the
/// same files with XmlReader and compares.
/// </remarks>
internal sealed class BlockMapXml
{
    private readonly string _path;
    private readonly string _text;
    private readonly List<int> _lineStarts = [0];
    private readonly List<BlockMapElement> _open = [];
    private int _at;

    private BlockMapXml(string path, string text)
    {
        _path = path;
        // XML's end-of-line handling: "\r\n" and a lone '\r' are read as '\n' (one line break each, so lines keep their numbers).
        _text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        for (var i = 0; i < _text.Length; i++)
        {
            if (_text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>The root element of the XML in <paramref name="bytes"/>; <paramref name="path"/> names the file in messages.</summary>
    /// <exception cref="FlashException">The bytes are not well-formed XML (<see cref="FlashFailure.BadImage"/>).</exception>
    public static BlockMapElement Parse(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new BlockMapXml(path, BlockMapEncoding.Decode(path, bytes)).Document();
    }

    private BlockMapElement Document()
    {
        if (_text.StartsWith("<?xml", StringComparison.Ordinal) && _text.Length > 5 && IsSpace(_text[5]))
        {
            Declaration();
        }

        BlockMapElement? root = null;
        while (true)
        {
            SkipSpace();
            if (_at >= _text.Length)
            {
                return root ?? throw Malformed(_at, "there is no element in it (a block map starts with <bmap>)");
            }

            if (Skipped())
            {
                continue;
            }

            if (_text[_at] != '<' || _at + 1 >= _text.Length || !IsNameStart(_text[_at + 1]))
            {
                throw Malformed(_at, root is null ? "text before the root element" : $"text after the root element </{root.Name}>");
            }

            if (root is not null)
            {
                throw Malformed(_at, $"a second root element after </{root.Name}>; a block map has one <bmap>");
            }

            root = Element();
        }
    }

    /// <summary>&lt;?xml version="1.0" encoding="UTF-8" standalone="yes"?&gt;: checked, then skipped.</summary>
    private void Declaration()
    {
        _at = 5;
        var end = _text.IndexOf("?>", _at, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Malformed(0, "the XML declaration <?xml ... is not closed with ?>");
        }

        var declaration = new BlockMapElement("xml", 1);
        while (true)
        {
            var spaced = SkipSpace();
            if (At("?>"))
            {
                _at += 2;
                break;
            }

            if (!spaced)
            {
                throw Malformed(_at, "expected a space or ?> in the XML declaration");
            }

            Attribute(declaration);
        }

        if (declaration.Attribute("version") is not { } version || !version.StartsWith("1.", StringComparison.Ordinal))
        {
            throw Malformed(0, "the XML declaration has no version=\"1.0\"");
        }

        if (declaration.Attribute("encoding") is { } encoding && !BlockMapEncoding.IsUnicode(encoding))
        {
            throw Malformed(0, $"the XML declaration names encoding `{encoding}`; DeviceTest reads block maps in UTF-8, as bmaptool writes them");
        }
    }

    /// <summary>Skips a comment, a processing instruction or CDATA at the current position; false if there is none.</summary>
    private bool Skipped()
    {
        if (At("<!--"))
        {
            var start = _at;
            var end = _text.IndexOf("--", _at + 4, StringComparison.Ordinal);
            if (end < 0)
            {
                throw Malformed(start, "a comment <!-- is not closed with -->");
            }

            if (end + 2 >= _text.Length || _text[end + 2] != '>')
            {
                throw Malformed(end, "`--` inside a comment (a comment ends at the first --, with -->)");
            }

            CheckChars(start, end);
            _at = end + 3;
            return true;
        }

        if (At("<?"))
        {
            var start = _at;
            _at += 2;
            var target = Name("a processing instruction's target");
            if (target.Equals("xml", StringComparison.OrdinalIgnoreCase))
            {
                throw Malformed(start, "an XML declaration <?xml ...?> is only allowed at the very start of the file");
            }

            var end = _text.IndexOf("?>", _at, StringComparison.Ordinal);
            _at = end >= 0 ? end + 2 : throw Malformed(start, $"the processing instruction <?{target} is not closed with ?>");
            return true;
        }

        if (At("<!DOCTYPE"))
        {
            throw Malformed(_at, "it has a DOCTYPE; block maps have none, and DeviceTest does not process DTDs");
        }

        return false;
    }

    private BlockMapElement Element()
    {
        var start = _at;
        _at++;
        var element = new BlockMapElement(Name("an element name"), LineOf(start));
        if (_open.Count > 0)
        {
            _open[^1].AddChild(element);
        }

        while (true)
        {
            var spaced = SkipSpace();
            if (At("/>"))
            {
                _at += 2;
                return element;
            }

            if (_at < _text.Length && _text[_at] == '>')
            {
                _at++;
                break;
            }

            if (_at >= _text.Length)
            {
                throw Malformed(start, $"the start tag <{element.Name} is not closed with >");
            }

            if (!spaced)
            {
                throw Malformed(_at, $"expected a space, > or /> in the start tag <{element.Name}, found `{_text[_at]}`");
            }

            Attribute(element);
        }

        _open.Add(element);
        Content(element, start);
        _open.RemoveAt(_open.Count - 1);
        return element;
    }

    /// <summary>What is between an element's start and end tags, and the end tag.</summary>
    private void Content(BlockMapElement element, int start)
    {
        while (true)
        {
            var text = _text.IndexOf('<', _at);
            if (text < 0)
            {
                throw Malformed(_text.Length, $"the file ends inside <{element.Name}> (opened on line {LineOf(start)}): it is cut short");
            }

            if (text > _at)
            {
                AddText(CharData(_at, text, '<'));
                _at = text;
            }

            if (At("</"))
            {
                var end = _at;
                _at += 2;
                var name = Name("an end tag's name");
                SkipSpace();
                if (_at >= _text.Length || _text[_at] != '>')
                {
                    throw Malformed(_at, $"the end tag </{name} is not closed with >");
                }

                if (name != element.Name)
                {
                    throw Malformed(end, $"the end tag </{name}> does not match <{element.Name}> (opened on line {LineOf(start)})");
                }

                _at++;
                return;
            }

            if (At("<![CDATA["))
            {
                var end = _text.IndexOf("]]>", _at + 9, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Malformed(_at, "a <![CDATA[ section is not closed with ]]>");
                }

                CheckChars(_at, end);
                AddText(_text[(_at + 9)..end]);
                _at = end + 3;
            }
            else if (!Skipped())
            {
                if (_at + 1 >= _text.Length || !IsNameStart(_text[_at + 1]))
                {
                    throw Malformed(_at, "`<` that starts no tag; write &lt; for a '<' in text");
                }

                Element();
            }
        }
    }

    /// <summary>name="value" or name='value', added to <paramref name="element"/>.</summary>
    private void Attribute(BlockMapElement element)
    {
        var start = _at;
        var name = Name("an attribute name");
        SkipSpace();
        if (_at >= _text.Length || _text[_at] != '=')
        {
            throw Malformed(_at, $"expected = after attribute `{name}`");
        }

        _at++;
        SkipSpace();
        if (_at >= _text.Length || _text[_at] is not ('"' or '\''))
        {
            throw Malformed(_at, $"the value of attribute `{name}` is not in quotes");
        }

        var quote = _text[_at];
        var end = _text.IndexOf(quote, _at + 1);
        if (end < 0)
        {
            throw Malformed(_at, $"the value of attribute `{name}` has no closing {quote}");
        }

        var value = CharData(_at + 1, end, quote);
        _at = end + 1;
        if (!element.AddAttribute(name, value))
        {
            throw Malformed(start, $"attribute `{name}` is given twice in <{element.Name}>");
        }
    }

    /// <summary>Text from <paramref name="start"/> to <paramref name="end"/> with its references replaced.</summary>
    private string CharData(int start, int end, char context)
    {
        CheckChars(start, end);
        var amp = _text.IndexOf('&', start, end - start);
        var inText = context == '<';
        if (inText && _text.IndexOf("]]>", start, end - start, StringComparison.Ordinal) is >= 0 and var cdataEnd)
        {
            throw Malformed(cdataEnd, "`]]>` in text (it may only end a CDATA section)");
        }

        if (!inText && _text.IndexOf('<', start, end - start) is >= 0 and var lt)
        {
            throw Malformed(lt, "`<` in an attribute value; write &lt;");
        }

        var result = new StringBuilder(end - start);
        var from = start;
        while (amp >= 0)
        {
            Literal(result, from, amp, inText);
            var semicolon = _text.IndexOf(';', amp, end - amp);
            if (semicolon < 0)
            {
                throw Malformed(amp, "`&` that starts no entity; write &amp; for a '&'");
            }

            result.Append(Reference(amp, _text[(amp + 1)..semicolon]));
            from = semicolon + 1;
            amp = _text.IndexOf('&', from, end - from);
        }

        Literal(result, from, end, inText);
        return result.ToString();
    }

    /// <summary>Text as written; in an attribute value a tab or line break is read as a space (attribute value normalization).</summary>
    private void Literal(StringBuilder result, int start, int end, bool inText)
    {
        var at = result.Length;
        result.Append(_text, start, end - start);
        if (!inText)
        {
            result.Replace('\t', ' ', at, end - start).Replace('\n', ' ', at, end - start);
        }
    }

    private string Reference(int at, string name)
    {
        switch (name)
        {
            case "lt": return "<";
            case "gt": return ">";
            case "amp": return "&";
            case "quot": return "\"";
            case "apos": return "'";
        }

        var (digits, style) = name.StartsWith("#x", StringComparison.Ordinal) ? (name[2..], NumberStyles.AllowHexSpecifier)
            : name.StartsWith('#') ? (name[1..], NumberStyles.None) : (string.Empty, NumberStyles.None);
        if (digits.Length > 0 && int.TryParse(digits, style, CultureInfo.InvariantCulture, out var code)
            && code <= 0x10FFFF && IsXmlChar(code) && code is not (>= 0xD800 and <= 0xDFFF))
        {
            return char.ConvertFromUtf32(code);
        }

        throw Malformed(at, name.StartsWith('#')
            ? $"`&{name};` is not the number of a character XML allows"
            : $"unknown entity `&{name};` (XML has &lt; &gt; &amp; &quot; &apos; and character numbers such as &#38;)");
    }

    private string Name(string what)
    {
        var start = _at;
        if (_at >= _text.Length || !IsNameStart(_text[_at]))
        {
            throw Malformed(_at, $"expected {what}{(_at < _text.Length ? $", found `{_text[_at]}`" : ", found the end of the file")}");
        }

        while (_at < _text.Length && (IsNameStart(_text[_at]) || char.IsAsciiDigit(_text[_at]) || _text[_at] is '-' or '.' or '\u00B7'))
        {
            _at++;
        }

        return _text[start.._at];
    }

    private void AddText(string text)
    {
        foreach (var element in _open)
        {
            element.AddText(text);
        }
    }

    /// <summary>Skips XML white space; true if there was some.</summary>
    private bool SkipSpace()
    {
        var start = _at;
        while (_at < _text.Length && IsSpace(_text[_at]))
        {
            _at++;
        }

        return _at > start;
    }

    /// <summary>Refuses characters XML does not allow (control characters other than tab and line breaks, lone surrogates).</summary>
    private void CheckChars(int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            var c = _text[i];
            if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(_text[i + 1]))
            {
                i++;
            }
            else if (!IsXmlChar(c) || char.IsSurrogate(c))
            {
                throw Malformed(i, $"character U+{(int)c:X4} is not allowed in XML");
            }
        }
    }

    private int LineOf(int index)
    {
        var line = _lineStarts.BinarySearch(index);
        return line >= 0 ? line + 1 : ~line;
    }

    private FlashException Malformed(int index, string what)
    {
        var line = LineOf(index);
        var column = index - _lineStarts[line - 1] + 1;
        return new FlashException(FlashFailure.BadImage, FlashStage.Image,
            $"block map {_path}:{line}:{column} is not valid XML: {what}");
    }

    private bool At(string what) => _text.AsSpan(_at).StartsWith(what, StringComparison.Ordinal);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n';

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':' || (c >= 0xC0 && c != 0xD7 && c != 0xF7);

    private static bool IsXmlChar(int c) => c is 0x9 or 0xA or 0xD || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
}
