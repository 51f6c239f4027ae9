using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Lab.Power;

/// <summary>
/// A real pdudaemon with its HTTP listener on a 127.0.0.1 port held for the lab's life (<see cref="LoopbackPort"/>) and one PDU, <see cref="PduHostname"/>, whose
/// <c>localcmdline</c> driver appends "on &lt;port&gt;" / "off &lt;port&gt;" lines to <see cref="StateFile"/>.
/// </summary>
public sealed class PdudaemonLab : IAsyncDisposable
{
    /// <summary>The PDU's name in the generated configuration.</summary>
    public const string PduHostname = "lab-pdu";

    private readonly Process _process;
    private readonly DirectoryInfo _directory;
    private readonly LoopbackPort _port;
    private readonly StringBuilder _log = new();

    private PdudaemonLab(Process process, DirectoryInfo directory, LoopbackPort port)
    {
        _process = process;
        _directory = directory;
        _port = port;
        Url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port.Number}"));
    }

    /// <summary>pdudaemon's base url, e.g. http://127.0.0.1:40123.</summary>
    public Uri Url { get; }

    /// <summary>The file the PDU's commands append to.</summary>
    public string StateFile => Path.Combine(_directory.FullName, "pdu-state");

    /// <summary>pdudaemon's own output so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<PdudaemonLab> StartAsync(CancellationToken cancellationToken)
    {
        LabRequirement.Programs("pdudaemon");
        var reserved = LoopbackPort.Reserve();
        var directory = Directory.CreateTempSubdirectory("devicetest-pdudaemon-");
        var port = reserved.Number;
        var state = Path.Combine(directory.FullName, "pdu-state");
        var config = new JsonObject
        {
            ["daemon"] = new JsonObject
            {
                ["hostname"] = "127.0.0.1",
                ["port"] = port,
                ["logging_level"] = "DEBUG",
                ["listener"] = "http",
            },
            ["pdus"] = new JsonObject
            {
                [PduHostname] = new JsonObject
                {
                    ["driver"] = "localcmdline",
                    ["cmd_on"] = $"echo \"on %s\" >> '{state}'",
                    ["cmd_off"] = $"echo \"off %s\" >> '{state}'",
                },
            },
        };
        var configFile = Path.Combine(directory.FullName, "pdudaemon.conf");
        Process process;
        try
        {
            await File.WriteAllTextAsync(configFile, config.ToJsonString(), cancellationToken);
            process = await StartProcessAsync(configFile);
        }
        catch
        {
            reserved.Dispose();
            TryDelete(directory);
            throw;
        }

        var lab = new PdudaemonLab(process, directory, reserved);
        process.OutputDataReceived += (_, e) => lab.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => lab.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            await lab.WaitListeningAsync(port, TimeSpan.FromSeconds(30), cancellationToken);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>The lines the PDU's commands wrote so far, e.g. ["off 3", "on 3"].</summary>
    public IReadOnlyList<string> ReadStates() =>
        File.Exists(StateFile) ? File.ReadAllLines(StateFile).Where(l => l.Length > 0).ToArray() : [];

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _port.Dispose();
        TryDelete(_directory);
    }

    private static async Task<Process> StartProcessAsync(string configFile)
    {
        var info = new ProcessStartInfo(LabRequirement.FindProgram("pdudaemon")!)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("--conf");
        info.ArgumentList.Add(configFile);
        return await TiedProcess.StartAsync(info);
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitListeningAsync(int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"pdudaemon exited with code {_process.ExitCode} at start:\n{Log}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        throw new TimeoutException(
            string.Create(CultureInfo.InvariantCulture, $"pdudaemon did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds:0} s:\n{Log}"));
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
