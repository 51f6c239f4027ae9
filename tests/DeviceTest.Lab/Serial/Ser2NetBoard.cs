using System.Globalization;

namespace DeviceTest.Lab.Serial;

/// <summary>
/// A <see cref="PtyShellBoard"/> exposed through ser2net 4 on loopback: <see cref="RawPort"/> in raw TCP mode and
/// <see cref="Rfc2217Port"/> as telnet with RFC 2217 (the client's baud rate is applied to the pty).
/// </summary>
public sealed class Ser2NetBoard : IAsyncDisposable
{
    private readonly LabProcess _ser2net;

    private Ser2NetBoard(PtyShellBoard board, LabProcess ser2net, int rawPort, int rfc2217Port)
    {
        Board = board;
        _ser2net = ser2net;
        RawPort = rawPort;
        Rfc2217Port = rfc2217Port;
    }

    public PtyShellBoard Board { get; }

    public int RawPort { get; }

    public int Rfc2217Port { get; }

    /// <summary><c>tcp://127.0.0.1:port</c> for <c>serial.port</c>.</summary>
    public string RawUrl => string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{RawPort}");

    /// <summary><c>rfc2217://127.0.0.1:port</c> for <c>serial.port</c>.</summary>
    public string Rfc2217Url => string.Create(CultureInfo.InvariantCulture, $"rfc2217://127.0.0.1:{Rfc2217Port}");

    public static async Task<Ser2NetBoard> StartAsync(string? user = null, string? password = null)
    {
        LabRequirement.Programs("socat", "ser2net");
        var board = await PtyShellBoard.StartAsync(user, password).ConfigureAwait(false);
        LabProcess? ser2net = null;
        try
        {
            var rawPort = LabProcess.FreePort();
            var rfcPort = LabProcess.FreePort();
            while (rfcPort == rawPort)
            {
                rfcPort = LabProcess.FreePort();
            }

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
            return new Ser2NetBoard(board, ser2net, rawPort, rfcPort);
        }
        catch
        {
            if (ser2net is not null)
            {
                await ser2net.KillAsync().ConfigureAwait(false);
                ser2net.Dispose();
            }

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
        await Board.DisposeAsync().ConfigureAwait(false);
    }
}
