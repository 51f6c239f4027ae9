using System.Globalization;
using System.Text;

namespace DeviceTest.Agent.Gateway.Toml;

/// <summary>A recursive-descent reader for the TOML subset <see cref="TomlDocument"/> documents.</summary>
internal sealed class TomlParser
{
    private const int MaxArrayDepth = 32;

    private readonly string _text;
    private readonly string _source;
    private readonly TomlTable _root = new(string.Empty, 1, 1, isExplicit: true);
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public TomlParser(string text, string source)
    {
        _text = text;
        _source = source;
    }

    private int Column => _pos - _lineStart + 1;

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _text[_pos];

    public TomlTable Parse()
    {
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            _pos = 1;
            _lineStart = 1;
        }

        var current = _root;
        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
            {
                return _root;
            }

            var c = Current;
            if (c == '#')
            {
                SkipComment();
            }
            else if (c == '\n' || c == '\r')
            {
                ReadNewline();
                continue;
            }
            else if (c == '[')
            {
                current = ReadTableHeader();
            }
            else
            {
                ReadKeyValue(current);
            }

            EndOfLine();
        }
    }

    private TomlTable ReadTableHeader()
    {
        int line = _line, column = Column;
        _pos++;
        if (!AtEnd && Current == '[')
        {
            throw Error(line, column, "arrays of tables ([[name]]) are not supported here");
        }

        SkipWhitespace();
        var keys = ReadKey();
        SkipWhitespace();
        if (AtEnd || Current != ']')
        {
            throw Error("expected ']' to close the table name");
        }

        _pos++;
        var table = _root;
        for (int i = 0; i < keys.Count; i++)
        {
            var (key, keyLine, keyColumn) = keys[i];
            var path = JoinPath(keys, i + 1);
            if (table.TryGet(key, out var existing))
            {
                if (existing is not TomlTable t)
                {
                    throw Error(keyLine, keyColumn, $"'{path}' is already a value (line {((TomlValue)existing).Line}), it cannot also be a table");
                }

                if (i == keys.Count - 1)
                {
                    if (t.IsExplicit || t.IsDefinedByDottedKey)
                    {
                        throw Error(line, column, $"table [{path}] is defined twice (first at line {t.Line})");
                    }

                    t.IsExplicit = true;
                }

                table = t;
            }
            else
            {
                var created = new TomlTable(path, line, column, isExplicit: i == keys.Count - 1);
                table.Add(key, created);
                table = created;
            }
        }

        return table;
    }

    private void ReadKeyValue(TomlTable current)
    {
        var keys = ReadKey();
        SkipWhitespace();
        if (AtEnd || Current != '=')
        {
            throw Error(AtEnd || Current is '\n' or '\r'
                ? $"expected '=' after the key '{JoinPath(keys, keys.Count)}'"
                : $"expected '=' after the key '{JoinPath(keys, keys.Count)}', found '{Current}'");
        }

        _pos++;
        SkipWhitespace();
        var value = ReadValue(0);

        var table = current;
        for (int i = 0; i < keys.Count - 1; i++)
        {
            var (key, keyLine, keyColumn) = keys[i];
            if (table.TryGet(key, out var existing))
            {
                if (existing is not TomlTable t)
                {
                    throw Error(keyLine, keyColumn, $"'{JoinPath(keys, i + 1)}' is already a value (line {((TomlValue)existing).Line})");
                }

                if (t.IsExplicit && !t.IsDefinedByDottedKey)
                {
                    throw Error(keyLine, keyColumn, $"table '{JoinPath(keys, i + 1)}' was defined with [{t.Path}] at line {t.Line}; add the key there");
                }

                table = t;
            }
            else
            {
                var prefix = current.Path.Length == 0 ? string.Empty : current.Path + ".";
                var created = new TomlTable(prefix + JoinPath(keys, i + 1), keyLine, keyColumn, isExplicit: false) { IsDefinedByDottedKey = true };
                table.Add(key, created);
                table = created;
            }
        }

        var (last, lastLine, lastColumn) = keys[^1];
        if (table.TryGet(last, out var duplicate))
        {
            var firstLine = duplicate is TomlValue v ? v.Line : ((TomlTable)duplicate).Line;
            throw Error(lastLine, lastColumn, $"the key '{JoinPath(keys, keys.Count)}' is defined twice (first at line {firstLine})");
        }

        table.Add(last, value);
    }

    private List<(string Key, int Line, int Column)> ReadKey()
    {
        var keys = new List<(string, int, int)>();
        while (true)
        {
            int line = _line, column = Column;
            if (AtEnd)
            {
                throw Error("expected a key");
            }

            string key;
            var c = Current;
            if (c == '"')
            {
                key = ReadBasicString();
            }
            else if (c == '\'')
            {
                key = ReadLiteralString();
            }
            else
            {
                int start = _pos;
                while (!AtEnd && IsBareKeyChar(Current))
                {
                    _pos++;
                }

                if (_pos == start)
                {
                    throw Error(c is '\n' or '\r' ? "expected a key" : $"expected a key, found '{c}' (keys are letters, digits, '_' and '-', or quoted)");
                }

                key = _text[start.._pos];
            }

            keys.Add((key, line, column));
            SkipWhitespace();
            if (!AtEnd && Current == '.')
            {
                _pos++;
                SkipWhitespace();
                continue;
            }

            return keys;
        }
    }

    private TomlValue ReadValue(int depth)
    {
        int line = _line, column = Column;
        if (AtEnd || Current is '\n' or '\r' or '#')
        {
            throw Error("expected a value after '='");
        }

        var c = Current;
        switch (c)
        {
            case '"':
                return new TomlValue(TomlValueKind.Text, ReadBasicString(), line, column);
            case '\'':
                return new TomlValue(TomlValueKind.Text, ReadLiteralString(), line, column);
            case '[':
                return ReadArray(depth, line, column);
            case '{':
                throw Error("inline tables ({ ... }) are not supported here; use a [table] section");
        }

        int start = _pos;
        while (!AtEnd && Current is not (' ' or '\t' or '\n' or '\r' or '#' or ',' or ']'))
        {
            _pos++;
        }

        var word = _text[start.._pos];
        switch (word)
        {
            case "true":
                return new TomlValue(TomlValueKind.Boolean, true, line, column);
            case "false":
                return new TomlValue(TomlValueKind.Boolean, false, line, column);
            case "inf" or "+inf":
                return new TomlValue(TomlValueKind.FloatingPoint, double.PositiveInfinity, line, column);
            case "-inf":
                return new TomlValue(TomlValueKind.FloatingPoint, double.NegativeInfinity, line, column);
            case "nan" or "+nan" or "-nan":
                return new TomlValue(TomlValueKind.FloatingPoint, double.NaN, line, column);
        }

        if (TryParseInteger(word, out var integer))
        {
            return new TomlValue(TomlValueKind.WholeNumber, integer, line, column);
        }

        if (TryParseFloat(word, out var number))
        {
            return new TomlValue(TomlValueKind.FloatingPoint, number, line, column);
        }

        if (word.Length > 0 && char.IsAsciiDigit(word[0]) && word.Contains('-', StringComparison.Ordinal))
        {
            throw Error(line, column, $"dates and times ('{word}') are not supported here; quote the value");
        }

        throw Error(line, column, $"'{word}' is not a value; strings need quotes (\"...\" or '...'), booleans are true or false");
    }

    private TomlValue ReadArray(int depth, int line, int column)
    {
        if (depth >= MaxArrayDepth)
        {
            throw Error(line, column, $"arrays nested deeper than {MaxArrayDepth} levels");
        }

        _pos++;
        var items = new List<TomlValue>();
        while (true)
        {
            SkipWhitespaceCommentsAndNewlines();
            if (AtEnd)
            {
                throw Error(line, column, "this array is not closed with ']'");
            }

            if (Current == ']')
            {
                _pos++;
                return new TomlValue(TomlValueKind.Array, items, line, column);
            }

            items.Add(ReadValue(depth + 1));
            SkipWhitespaceCommentsAndNewlines();
            if (AtEnd)
            {
                throw Error(line, column, "this array is not closed with ']'");
            }

            if (Current == ',')
            {
                _pos++;
            }
            else if (Current != ']')
            {
                throw Error($"expected ',' or ']' in the array, found '{Current}'");
            }
        }
    }

    private string ReadBasicString()
    {
        int line = _line, column = Column;
        if (_text.AsSpan(_pos).StartsWith("\"\"\"", StringComparison.Ordinal))
        {
            throw Error("multi-line strings (\"\"\"...\"\"\") are not supported here");
        }

        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || Current is '\n' or '\r')
            {
                throw Error(line, column, "this string is not closed with '\"' on the same line");
            }

            var c = Current;
            if (c == '"')
            {
                _pos++;
                return sb.ToString();
            }

            if (c == '\\')
            {
                int escLine = _line, escColumn = Column;
                _pos++;
                if (AtEnd)
                {
                    throw Error(line, column, "this string is not closed with '\"'");
                }

                var e = Current;
                _pos++;
                switch (e)
                {
                    case 'b': sb.Append('\b'); break;
                    case 't': sb.Append('\t'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'e': sb.Append('\u001b'); break;
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case 'u': sb.Append(ReadUnicodeEscape(4, escLine, escColumn)); break;
                    case 'U': sb.Append(ReadUnicodeEscape(8, escLine, escColumn)); break;
                    default:
                        throw Error(escLine, escColumn, $"unknown escape '\\{e}' in a string; use '\\\\' for a backslash or a 'literal string'");
                }

                continue;
            }

            if (char.IsControl(c) && c != '\t')
            {
                throw Error($"control character U+{(int)c:X4} in a string; write it as an escape");
            }

            sb.Append(c);
            _pos++;
        }
    }

    private string ReadUnicodeEscape(int digits, int line, int column)
    {
        if (_pos + digits > _text.Length
            || !int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code < 0 || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
        {
            throw Error(line, column, $"'\\{(digits == 4 ? 'u' : 'U')}' needs {digits} hex digits naming a Unicode scalar value");
        }

        _pos += digits;
        return char.ConvertFromUtf32(code);
    }

    private string ReadLiteralString()
    {
        int line = _line, column = Column;
        if (_text.AsSpan(_pos).StartsWith("'''", StringComparison.Ordinal))
        {
            throw Error("multi-line strings ('''...''') are not supported here");
        }

        _pos++;
        int start = _pos;
        while (true)
        {
            if (AtEnd || Current is '\n' or '\r')
            {
                throw Error(line, column, "this string is not closed with \"'\" on the same line");
            }

            if (Current == '\'')
            {
                var s = _text[start.._pos];
                _pos++;
                return s;
            }

            _pos++;
        }
    }

    private static bool TryParseInteger(string word, out long value)
    {
        value = 0;
        if (word.Length == 0)
        {
            return false;
        }

        var w = word;
        if (w.StartsWith("0x", StringComparison.Ordinal) || w.StartsWith("0o", StringComparison.Ordinal) || w.StartsWith("0b", StringComparison.Ordinal))
        {
            int radix = w[1] switch { 'x' => 16, 'o' => 8, _ => 2 };
            var digits = StripUnderscores(w[2..]);
            if (digits is null || digits.Length == 0)
            {
                return false;
            }

            try
            {
                value = Convert.ToInt64(digits, radix);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        var body = w[0] is '+' or '-' ? w[1..] : w;
        if (body.Length == 0 || !body.All(ch => char.IsAsciiDigit(ch) || ch == '_') || (body.Length > 1 && body[0] == '0'))
        {
            return false;
        }

        var clean = StripUnderscores(w);
        return clean is not null && long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseFloat(string word, out double value)
    {
        value = 0;
        var clean = StripUnderscores(word);
        if (clean is null || clean.Length == 0 || !clean.Any(ch => ch is '.' or 'e' or 'E'))
        {
            return false;
        }

        var body = clean[0] is '+' or '-' ? clean[1..] : clean;
        if (body.Length == 0 || !char.IsAsciiDigit(body[0]) || body.EndsWith('.') || body.Contains(".e", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return double.TryParse(clean, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Removes '_' between digits; null when an underscore is not between two digits.</summary>
    private static string? StripUnderscores(string s)
    {
        if (!s.Contains('_', StringComparison.Ordinal))
        {
            return s;
        }

        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '_' && (i == 0 || i == s.Length - 1 || !char.IsAsciiHexDigit(s[i - 1]) || !char.IsAsciiHexDigit(s[i + 1])))
            {
                return null;
            }
        }

        return s.Replace("_", string.Empty, StringComparison.Ordinal);
    }

    private static bool IsBareKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static string JoinPath(List<(string Key, int Line, int Column)> keys, int count) =>
        string.Join('.', keys.Take(count).Select(k => IsBare(k.Key) ? k.Key : "\"" + k.Key + "\""));

    private static bool IsBare(string key) => key.Length > 0 && key.All(IsBareKeyChar);

    private void EndOfLine()
    {
        SkipWhitespace();
        if (AtEnd)
        {
            return;
        }

        if (Current == '#')
        {
            SkipComment();
            if (AtEnd)
            {
                return;
            }
        }

        if (Current is '\n' or '\r')
        {
            ReadNewline();
            return;
        }

        throw Error($"unexpected '{Current}' after the value; one key = value per line (comments start with '#')");
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && Current is ' ' or '\t')
        {
            _pos++;
        }
    }

    private void SkipWhitespaceCommentsAndNewlines()
    {
        while (!AtEnd)
        {
            var c = Current;
            if (c is ' ' or '\t')
            {
                _pos++;
            }
            else if (c == '#')
            {
                SkipComment();
            }
            else if (c is '\n' or '\r')
            {
                ReadNewline();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipComment()
    {
        while (!AtEnd && Current is not ('\n' or '\r'))
        {
            if (char.IsControl(Current) && Current != '\t')
            {
                throw Error($"control character U+{(int)Current:X4} in a comment");
            }

            _pos++;
        }
    }

    private void ReadNewline()
    {
        if (Current == '\r')
        {
            if (_pos + 1 >= _text.Length || _text[_pos + 1] != '\n')
            {
                throw Error("a carriage return must be followed by a line feed");
            }

            _pos++;
        }

        _pos++;
        _line++;
        _lineStart = _pos;
    }

    private TomlException Error(string problem) => new(_source, _line, Column, problem);

    private TomlException Error(int line, int column, string problem) => new(_source, line, column, problem);
}
