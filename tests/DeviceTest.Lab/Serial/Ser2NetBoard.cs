using System.Globalization;

namespace DeviceTest.Lab.Serial;

/// <summary>
/// A <see cref="PtyShellBoard"/> exposed through ser2net 4 on loopback: <see cref="RawPort"/> in raw TCP mode and
/// <see cref="Rfc2217Port"/> as telnet with RFC 2217 (the client's baud rate is applied to the pty). Both ports are
/// held for the board's life (<see cref="LoopbackPort"/>).
/// </summary>
public sealed class Ser2NetBoard : IAsyncDisposable
{
    private readonly LabProcess _ser2net;
    private readonly LoopbackPort _rawPort;
    private readonly LoopbackPort _rfc2217Port;

    private Ser2NetBoard(PtyShellBoard board, LabProcess ser2net, LoopbackPort rawPort, LoopbackPort rfc2217Port)
    {
        Board = board;
        _ser2net = ser2net;
        _rawPort = rawPort;
        _rfc2217Port = rfc2217Port;
    }

    public PtyShellBoard Board { get; }

    public int RawPort => _rawPort.Number;

    public int Rfc2217Port => _rfc2217Port.Number;

    /// <summary><c>tcp://127.0.0.1:port</c> for <c>serial.port</c>.</summary>
    public string RawUrl => string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{RawPort}");

    /// <summary><c>rfc2217://127.0.0.1:port</c> for <c>serial.port</c>.</summary>
    public string Rfc2217Url => string.Create(CultureInfo.InvariantCulture, $"rfc2217://127.0.0.1:{Rfc2217Port}");

    public static async Task<Ser2NetBoard> StartAsync(string? user = null, string? password = null, bool jobControl = true)
    {
        LabRequirement.Programs("socat", "ser2net");
        var board = await PtyShellBoard.StartAsync(user, password, jobControl).ConfigureAwait(false);
        LabProcess? ser2net = null;
        LoopbackPort? rawReserved = null;
        LoopbackPort? rfcReserved = null;
        try
        {
            rawReserved = LoopbackPort.Reserve();
            rfcReserved = LoopbackPort.Reserve();
            var rawPort = rawReserved.Number;
            var rfcPort = rfcReserved.Number;

            var config = Path.Combine(board.Directory, "ser2net.yaml");
            await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
                %YAML 1.1
                ---
                connection: &raw
                  accepter: tcp,127.0.0.1,{rawPort}
                  connector: serialdev,{board.TtyPath},115200n81,local
                  options:
                    kickolduser: true

                connection: &rfc2217
                  accepter: telnet(rfc2217),tcp,127.0.0.1,{rfcPort}
                  connector: serialdev,{board.TtyPath},115200n81,local
                  options:
                    kickolduser: true

                """)).ConfigureAwait(false);
            ser2net = LabProcess.Start(LabRequirement.FindProgram("ser2net")!,
                ["-n", "-d", "-u", "-c", config, "-P", Path.Combine(board.Directory, "ser2net.pid")],
                Path.Combine(board.Directory, "ser2net.log"), board.Directory);
            await LabProcess.WaitForPortAsync(rawPort, ser2net, "ser2net", TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            await LabProcess.WaitForPortAsync(rfcPort, ser2net, "ser2net", TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            return new Ser2NetBoard(board, ser2net, rawReserved, rfcReserved);
        }
        catch
        {
            if (ser2net is not null)
            {
                await ser2net.KillAsync().ConfigureAwait(false);
                ser2net.Dispose();
            }

            rawReserved?.Dispose();
            rfcReserved?.Dispose();
            await board.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>ser2net's log, for test failure messages.</summary>
    public string ReadLog() => _ser2net.ReadLog();

    public async ValueTask DisposeAsync()
    {
        await _ser2net.KillAsync().ConfigureAwait(false);
        _ser2net.Dispose();
        _rawPort.Dispose();
        _rfc2217Port.Dispose();
        await Board.DisposeAsync().ConfigureAwait(false);
    }
}
