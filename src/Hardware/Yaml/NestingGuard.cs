using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DeviceTest.Hardware.Yaml;

/// <summary>
/// A YAML parser that stops with <see cref="TooDeepException"/> when lists and mappings nest more than a limit, so
/// that loading a document (recursive in YamlDotNet) never goes deeper than that; it also tells whether an error
/// came from the parser itself (a syntax error) or from whoever consumes the events.
/// </summary>
internal sealed class NestingGuard(IParser inner, int maxNesting) : IParser
{
    private int depth;

    public ParsingEvent? Current => inner.Current;

    /// <summary>True once the underlying parser has thrown (a syntax error): no more events can be read.</summary>
    public bool ParserFailed { get; private set; }

    /// <summary>Where the list or mapping that is one level too deep starts.</summary>
    public Mark TooDeepAt { get; private set; } = Mark.Empty;

    public bool MoveNext()
    {
        bool moved;
        try
        {
            moved = inner.MoveNext();
        }
        catch (YamlException)
        {
            ParserFailed = true;
            throw;
        }

        if (!moved)
        {
            return false;
        }

        switch (inner.Current)
        {
            case SequenceStart or MappingStart:
                if (++depth > maxNesting)
                {
                    TooDeepAt = inner.Current.Start;
                    throw new TooDeepException();
                }

                break;
            case SequenceEnd or MappingEnd:
                depth--;
                break;
        }

        return true;
    }

    /// <summary>Thrown by <see cref="MoveNext"/> at the first list or mapping nested too deeply.</summary>
    public sealed class TooDeepException : Exception
    {
        public TooDeepException()
            : base("lists and mappings are nested too deeply")
        {
        }

        public TooDeepException(string message)
            : base(message)
        {
        }

        public TooDeepException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
