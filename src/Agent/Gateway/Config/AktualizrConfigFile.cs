using System.Buffers;

namespace DeviceTest.Agent.Gateway.Config;

/// <summary>
/// One file of aktualizr-lite's configuration (<c>sota.toml</c>, a conf.d fragment) read exactly as aktualizr reads it,
/// with the line and column of every section and key for messages (<c>file:line:column</c>). aktualizr calls these files
/// TOML, but reads them with boost's INI reader (libaktualizr <c>BaseConfig::updateFromToml</c>:
/// <c>boost::property_tree::ini_parser::read_ini</c>) and then removes every <c>"</c> from a string value
/// (<c>Utils::stripQuotes</c>). So, line by line (split at <c>\n</c>), after removing the blanks at both ends (space,
/// <c>\t</c>, <c>\n</c>, <c>\v</c>, <c>\f</c>, <c>\r</c>: what the classic locale calls space):
/// <list type="bullet">
/// <item>an empty line, or one that starts with <c>;</c> or <c>#</c>, is nothing;</item>
/// <item>a line that starts with <c>[</c> starts the section named by the text up to the first <c>]</c> (blanks around
/// the name removed, the rest of the line ignored); without a <c>]</c> it is an error. A section without keys is dropped
/// as if it were not there, so writing one again is not a duplicate; a section (or a key before the first section)
/// written twice is an error;</item>
/// <item>any other line is <c>key = value</c>, split at the first <c>=</c>; no <c>=</c>, or nothing before it, is an
/// error; a key written twice in a section is an error. Keys before the first section belong to no section (aktualizr
/// reads none of them).</item>
/// </list>
/// What is TOML but not INI means something else to aktualizr, and so here: <c>a = "x" # c</c> is <c>x # c</c>,
/// <c>'x'</c> keeps its single quotes, <c>\t</c> is two characters, a value cannot go on over several lines (a
/// multi-line string or array is an error at its second line), and <c>[[a]]</c> is a section named <c>[a</c>.
/// Hand-written rather than a TOML or INI library: what counts is boost's exact reading, which no library gives, and it
/// is about a hundred lines (Tomlyn, used before, read these files differently and cost 0.22 MB of the native devicetest).
/// </summary>
public sealed class AktualizrConfigFile
{
    /// <summary>Files larger than this are refused (a config file, not a data set).</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    // std::isspace in the classic locale: the blanks boost removes around lines, names, keys and values.
    private const string Blanks = " \t\n\v\f\r";

    private static readonly SearchValues<char> BlankValues = SearchValues.Create(Blanks);

    private readonly List<AktualizrConfigKey> _topLevelKeys;
    private readonly List<AktualizrConfigSection> _sections;

    private AktualizrConfigFile(string sourceName, List<AktualizrConfigKey> topLevelKeys, List<AktualizrConfigSection> sections)
    {
        SourceName = sourceName;
        _topLevelKeys = topLevelKeys;
        _sections = sections;
    }

    /// <summary>The file name used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The keys written before the first section, in order.</summary>
    public IReadOnlyList<AktualizrConfigKey> TopLevelKeys => _topLevelKeys;

    /// <summary>The sections that have keys, in order; each name once.</summary>
    public IReadOnlyList<AktualizrConfigSection> Sections => _sections;

    /// <summary>The section named exactly <paramref name="name"/> (case-sensitive; <c>"tls"</c> for <c>[tls]</c>), or null.</summary>
    public AktualizrConfigSection? FindSection(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Named(_sections, name);
    }

    /// <exception cref="AktualizrConfigException">aktualizr would refuse the text; the message says where, what and what to do.</exception>
    public static AktualizrConfigFile Parse(string text, string sourceName = "<config>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (text.Length > MaxLength)
        {
            throw TooLarge(sourceName);
        }

        var reader = new Reader(sourceName);

        // A UTF-8 byte order mark (some Windows editors write one) is skipped. boost itself would choke on it: it reads
        // its three bytes as the start of the first line, so "\uFEFF[tls]" is a key line without '=' for aktualizr.
        var start = text.StartsWith('\uFEFF') ? 1 : 0;
        var number = 1;
        for (var end = text.IndexOf('\n', start); end >= 0; end = text.IndexOf('\n', start))
        {
            reader.Read(text.AsSpan(start, end - start), number++);
            start = end + 1;
        }

        reader.Read(text.AsSpan(start), number);
        return reader.Finish();
    }

    /// <exception cref="AktualizrConfigException">aktualizr would refuse the file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static AktualizrConfigFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxLength)
        {
            throw TooLarge(path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    private static AktualizrConfigSection? Named(List<AktualizrConfigSection> sections, string name)
    {
        foreach (var section in sections)
        {
            if (string.Equals(section.Name, name, StringComparison.Ordinal))
            {
                return section;
            }
        }

        return null;
    }

    private static AktualizrConfigException TooLarge(string sourceName) =>
        new(sourceName, 1, 1, $"the file is larger than {MaxLength / (1024 * 1024)} MiB; this is not a configuration file");

    /// <summary>boost's <c>read_ini</c>, one line at a time, keeping where each name was written.</summary>
    private sealed class Reader(string sourceName)
    {
        private const string Refused = "aktualizr-lite refuses this file too";

        private readonly List<AktualizrConfigKey> _topLevelKeys = [];
        private readonly List<AktualizrConfigSection> _sections = [];

        // boost keeps top-level keys and sections in one tree: a section may not have a top-level key's name.
        private readonly Dictionary<string, int> _topLevelLines = new(StringComparer.Ordinal);
        private AktualizrConfigSection? _section;

        public void Read(ReadOnlySpan<char> raw, int number)
        {
            var first = raw.IndexOfAnyExcept(BlankValues);
            if (first < 0)
            {
                return;
            }

            var line = raw[first..].TrimEnd(Blanks);
            var column = first + 1;
            if (line[0] is ';' or '#')
            {
                return;
            }

            if (line[0] == '[')
            {
                StartSection(line, number, column);
            }
            else
            {
                AddKey(line, number, column);
            }
        }

        public AktualizrConfigFile Finish()
        {
            DropEmptySection();
            return new AktualizrConfigFile(sourceName, _topLevelKeys, _sections);
        }

        private void StartSection(ReadOnlySpan<char> line, int number, int column)
        {
            DropEmptySection();
            var close = line.IndexOf(']');
            if (close < 0)
            {
                throw Error(number, column, $"unmatched '[': a section is [name] on one line; {Refused}");
            }

            var inside = line[1..close];
            var skipped = inside.IndexOfAnyExcept(BlankValues);
            skipped = skipped < 0 ? inside.Length : skipped;
            var name = inside.Trim(Blanks).ToString();
            var nameColumn = column + 1 + skipped;
            if (Named(_sections, name) is { } earlier)
            {
                throw Error(number, nameColumn, $"duplicate section name '{name}' (first at line {earlier.Line}): {Refused}; put all its keys under one [{name}]");
            }

            if (_topLevelLines.TryGetValue(name, out var keyLine))
            {
                throw Error(number, nameColumn, $"duplicate section name '{name}' (a key before the first section, line {keyLine}, has that name): {Refused}");
            }

            _section = new AktualizrConfigSection(name, number, nameColumn);
            _sections.Add(_section);
        }

        private void AddKey(ReadOnlySpan<char> line, int number, int column)
        {
            var equals = line.IndexOf('=');
            if (equals < 0)
            {
                throw Error(number, column, "'=' character not found in line: aktualizr-lite reads each line as [section], key = value or a comment "
                    + $"(# or ; first), and a value cannot go on over several lines; {Refused}");
            }

            if (equals == 0)
            {
                throw Error(number, column, $"key expected before '=': {Refused}");
            }

            // The line starts with something else than a blank, so the key is not empty.
            var name = line[..equals].TrimEnd(Blanks).ToString();
            var value = line[(equals + 1)..].Trim(Blanks).ToString().Replace("\"", string.Empty, StringComparison.Ordinal);
            var key = new AktualizrConfigKey(name, value, number, column);
            if (_section is null)
            {
                if (!_topLevelLines.TryAdd(name, number))
                {
                    throw Error(number, column, $"duplicate key name '{name}' (first at line {_topLevelLines[name]}): {Refused}; keep one of them");
                }

                _topLevelKeys.Add(key);
            }
            else
            {
                if (_section.Find(name) is { } earlier)
                {
                    throw Error(number, column, $"duplicate key name '{name}' in [{_section.Name}] (first at line {earlier.Line}): {Refused}; keep one of them");
                }

                _section.Add(key);
            }
        }

        /// <summary>boost drops a section that has no keys when the next one starts, and at the end of the file.</summary>
        private void DropEmptySection()
        {
            if (_section is { Keys.Count: 0 })
            {
                _sections.RemoveAt(_sections.Count - 1);
            }

            _section = null;
        }

        private AktualizrConfigException Error(int line, int column, string problem) => new(sourceName, line, column, problem);
    }
}
