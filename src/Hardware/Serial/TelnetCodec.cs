using System.Buffers.Binary;

namespace DeviceTest.Hardware.Serial;

/// <summary>
/// The telnet side of an RFC 2217 client: takes telnet commands and sub-negotiations out of the byte stream,
/// un-doubles IAC, answers option requests, and records the server's COM-PORT-OPTION answers. Not thread-safe:
/// one reader decodes, writes of replies are the caller's job.
/// </summary>
internal sealed class TelnetCodec
{
    internal const byte Iac = 255;
    internal const byte Dont = 254;
    internal const byte Do = 253;
    internal const byte Wont = 252;
    internal const byte Will = 251;
    internal const byte Sb = 250;
    internal const byte Se = 240;
    internal const byte OptionBinary = 0;
    internal const byte OptionEcho = 1;
    internal const byte OptionSuppressGoAhead = 3;
    internal const byte OptionComPort = 44;

    // RFC 2217 client-to-server commands; the server answers with the same code + 100.
    internal const byte SetBaudRate = 1;
    internal const byte SetDataSize = 2;
    internal const byte SetParity = 3;
    internal const byte SetStopSize = 4;
    internal const byte SetControl = 5;
    internal const byte ServerOffset = 100;

    private const int MaxSubnegotiation = 256;

    private readonly bool[] _localEnabled = new bool[256];
    private readonly bool[] _localRequested = new bool[256];
    private readonly bool[] _remoteEnabled = new bool[256];
    private readonly bool[] _remoteRequested = new bool[256];
    private readonly List<byte> _replies = [];
    private readonly List<byte> _subnegotiation = [];
    private State _state;
    private byte _verb;

    private enum State
    {
        Data,
        DataAfterCr,
        Iac,
        Verb,
        Sb,
        SbIac,
    }

    /// <summary>The baud rate the server last reported (answer to SET-BAUDRATE), or null.</summary>
    public int? ServerBaud { get; private set; }

    public int? ServerDataSize { get; private set; }

    public int? ServerParity { get; private set; }

    public int? ServerStopSize { get; private set; }

    /// <summary>The server agreed to COM-PORT-OPTION (sent DO 44).</summary>
    public bool ComPortAccepted => _localEnabled[OptionComPort];

    /// <summary>The server refused COM-PORT-OPTION (sent DONT 44).</summary>
    public bool ComPortRefused { get; private set; }

    /// <summary>Sub-negotiations of COM-PORT-OPTION the server sent (answers and notifications).</summary>
    public int ComPortMessages { get; private set; }

    /// <summary>Whether we send in binary mode (else CR is sent as CR NUL).</summary>
    public bool BinaryOut => _localEnabled[OptionBinary];

    /// <summary>Whether the server sends in binary mode (else CR NUL is read as CR).</summary>
    public bool BinaryIn => _remoteEnabled[OptionBinary];

    /// <summary>What a client says first: binary both ways, no go-ahead, and COM-PORT-OPTION.</summary>
    public byte[] Greeting()
    {
        _localRequested[OptionBinary] = true;
        _remoteRequested[OptionBinary] = true;
        _localRequested[OptionSuppressGoAhead] = true;
        _remoteRequested[OptionSuppressGoAhead] = true;
        _localRequested[OptionComPort] = true;
        return
        [
            Iac, Will, OptionBinary, Iac, Do, OptionBinary,
            Iac, Will, OptionSuppressGoAhead, Iac, Do, OptionSuppressGoAhead,
            Iac, Will, OptionComPort,
        ];
    }

    /// <summary>SET-BAUDRATE, 8 data bits, no parity, 1 stop bit, no flow control.</summary>
    public static byte[] PortSettings(int baud)
    {
        var bytes = new List<byte>();
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(value, baud);
        AddSubnegotiation(bytes, SetBaudRate, value);
        AddSubnegotiation(bytes, SetDataSize, [8]);
        AddSubnegotiation(bytes, SetParity, [1]);
        AddSubnegotiation(bytes, SetStopSize, [1]);
        AddSubnegotiation(bytes, SetControl, [1]);
        return [.. bytes];
    }

    /// <summary>Data to send, with IAC doubled (and CR as CR NUL when not in binary mode).</summary>
    public byte[] Encode(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>(data.Length + 16);
        foreach (var b in data)
        {
            output.Add(b);
            if (b == Iac)
            {
                output.Add(Iac);
            }
            else if (b == (byte)'\r' && !BinaryOut)
            {
                output.Add(0);
            }
        }

        return [.. output];
    }

    /// <summary>Replies to send to the server (option answers), or null when there are none.</summary>
    public byte[]? TakeReplies()
    {
        if (_replies.Count == 0)
        {
            return null;
        }

        var replies = _replies.ToArray();
        _replies.Clear();
        return replies;
    }

    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/> (at least as long); returns the data length.</summary>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var written = 0;
        foreach (var b in input)
        {
            switch (_state)
            {
                case State.Data:
                case State.DataAfterCr:
                    if (b == Iac)
                    {
                        _state = State.Iac;
                    }
                    else if (_state == State.DataAfterCr && b == 0 && !BinaryIn)
                    {
                        _state = State.Data;
                    }
                    else
                    {
                        output[written++] = b;
                        _state = b == (byte)'\r' ? State.DataAfterCr : State.Data;
                    }

                    break;
                case State.Iac:
                    switch (b)
                    {
                        case Iac:
                            output[written++] = Iac;
                            _state = State.Data;
                            break;
                        case Do or Dont or Will or Wont:
                            _verb = b;
                            _state = State.Verb;
                            break;
                        case Sb:
                            _subnegotiation.Clear();
                            _state = State.Sb;
                            break;
                        default:
                            // NOP, GA, AYT, BRK, DM...: nothing to pass on.
                            _state = State.Data;
                            break;
                    }

                    break;
                case State.Verb:
                    Negotiate(_verb, b);
                    _state = State.Data;
                    break;
                case State.Sb:
                    if (b == Iac)
                    {
                        _state = State.SbIac;
                    }
                    else if (_subnegotiation.Count < MaxSubnegotiation)
                    {
                        _subnegotiation.Add(b);
                    }

                    break;
                case State.SbIac:
                    if (b == Se)
                    {
                        Subnegotiation();
                        _state = State.Data;
                    }
                    else
                    {
                        if (b == Iac && _subnegotiation.Count < MaxSubnegotiation)
                        {
                            _subnegotiation.Add(Iac);
                        }

                        _state = State.Sb;
                    }

                    break;
                default:
                    _state = State.Data;
                    break;
            }
        }

        return written;
    }

    private static void AddSubnegotiation(List<byte> bytes, byte command, ReadOnlySpan<byte> value)
    {
        bytes.AddRange([Iac, Sb, OptionComPort, command]);
        foreach (var b in value)
        {
            bytes.Add(b);
            if (b == Iac)
            {
                bytes.Add(Iac);
            }
        }

        bytes.AddRange([Iac, Se]);
    }

    private static bool WeSupport(byte option) => option is OptionBinary or OptionSuppressGoAhead or OptionComPort;

    private static bool TheyMay(byte option) => option is OptionBinary or OptionSuppressGoAhead or OptionEcho or OptionComPort;

    private void Negotiate(byte verb, byte option)
    {
        switch (verb)
        {
            case Do:
                if (WeSupport(option))
                {
                    if (!_localEnabled[option])
                    {
                        _localEnabled[option] = true;
                        if (!_localRequested[option])
                        {
                            Reply(Will, option);
                        }
                    }

                    _localRequested[option] = false;
                }
                else
                {
                    Reply(Wont, option);
                }

                break;
            case Dont:
                if (option == OptionComPort)
                {
                    ComPortRefused = true;
                }

                if (_localEnabled[option])
                {
                    _localEnabled[option] = false;
                    Reply(Wont, option);
                }

                _localRequested[option] = false;
                break;
            case Will:
                if (TheyMay(option))
                {
                    if (!_remoteEnabled[option])
                    {
                        _remoteEnabled[option] = true;
                        if (!_remoteRequested[option])
                        {
                            Reply(Do, option);
                        }
                    }

                    _remoteRequested[option] = false;
                }
                else
                {
                    Reply(Dont, option);
                }

                break;
            case Wont:
                if (_remoteEnabled[option])
                {
                    _remoteEnabled[option] = false;
                    Reply(Dont, option);
                }

                _remoteRequested[option] = false;
                break;
            default:
                break;
        }
    }

    private void Reply(byte verb, byte option) => _replies.AddRange([Iac, verb, option]);

    private void Subnegotiation()
    {
        if (_subnegotiation.Count < 2 || _subnegotiation[0] != OptionComPort)
        {
            return;
        }

        ComPortMessages++;
        var command = _subnegotiation[1];
        var value = _subnegotiation.Count - 2;
        switch (command)
        {
            case ServerOffset + SetBaudRate when value >= 4:
                ServerBaud = BinaryPrimitives.ReadInt32BigEndian([.. _subnegotiation.GetRange(2, 4)]);
                break;
            case ServerOffset + SetDataSize when value >= 1:
                ServerDataSize = _subnegotiation[2];
                break;
            case ServerOffset + SetParity when value >= 1:
                ServerParity = _subnegotiation[2];
                break;
            case ServerOffset + SetStopSize when value >= 1:
                ServerStopSize = _subnegotiation[2];
                break;
            default:
                // Line state / modem state notifications and other answers carry nothing we need.
                break;
        }
    }
}
