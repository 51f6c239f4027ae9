using System.Text;

namespace DeviceTest.Hardware.Consoles;

/// <summary>
/// Turns console text into text for matching: ANSI escape sequences (CSI, OSC, two-character escapes), carriage
/// returns, NUL and BEL removed. Keeps state across chunks; a control character other than ESC (a newline, a tab, the
/// record separator that starts a console shell's end marker) ends any unfinished sequence and is kept, as a terminal
/// carries it out in the middle of one, and sequences are cut off after a bounded length, so that binary garbage cannot
/// swallow the text after it.
/// </summary>
internal sealed class ConsoleTextFilter
{
    private const int MaxCsiLength = 64;
    private const int MaxOscLength = 512;
    private State _state;
    private int _length;

    private enum State
    {
        Text,
        Escape,
        EscapeIntermediate,
        Csi,
        Osc,
        OscEscape,
    }

    public void Filter(ReadOnlySpan<char> input, StringBuilder output)
    {
        foreach (var c in input)
        {
            if (c == '\n' || (_state != State.Text && c < ' ' && c != '\u001b'))
            {
                _state = State.Text;
                if (c is not ('\r' or '\0' or '\a'))
                {
                    output.Append(c);
                }

                continue;
            }

            switch (_state)
            {
                case State.Text:
                    if (c == '\u001b')
                    {
                        _state = State.Escape;
                        _length = 0;
                    }
                    else if (c == '\u009b')
                    {
                        _state = State.Csi;
                        _length = 0;
                    }
                    else if (c is not ('\r' or '\0' or '\a'))
                    {
                        output.Append(c);
                    }

                    break;
                case State.Escape:
                    _state = c switch
                    {
                        '[' => State.Csi,
                        ']' => State.Osc,
                        >= ' ' and <= '/' => State.EscapeIntermediate,
                        '\u001b' => State.Escape,
                        _ => State.Text,
                    };
                    break;
                case State.EscapeIntermediate:
                    if (c is < ' ' or > '/')
                    {
                        _state = State.Text;
                    }

                    break;
                case State.Csi:
                    if (c is >= '@' and <= '~' || ++_length > MaxCsiLength)
                    {
                        _state = State.Text;
                    }
                    else if (c is < ' ' or > '?')
                    {
                        // Not a CSI sequence after all: drop the sequence, keep this character.
                        _state = State.Text;
                        if (c != '\u001b')
                        {
                            output.Append(c);
                        }
                    }

                    break;
                case State.Osc:
                    if (++_length > MaxOscLength)
                    {
                        _state = State.Text;
                    }
                    else if (c == '\u001b')
                    {
                        _state = State.OscEscape;
                    }

                    break;
                case State.OscEscape:
                    _state = c == '\\' ? State.Text : State.Osc;
                    break;
                default:
                    _state = State.Text;
                    break;
            }
        }
    }
}
