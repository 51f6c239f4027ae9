using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Lab.Ssh;

/// <summary>
/// The SSH board: a real OpenSSH server (<c>sshd -D -e</c>) on a 127.0.0.1 port held for the board's whole life
/// (<see cref="LoopbackPort"/>, also while it is stopped for <see cref="StartAgainAsync"/>), run as the current user with
/// its own host key, client key, authorized_keys and known_hosts in a private temp directory. Logging in as the
/// current user with <see cref="IdentityFile"/> gives a shell on this machine. Never reboot it: it is the host.
/// </summary>
public sealed class SshBoard : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _log = new();
    private readonly LoopbackPort _port;
    private Process? _sshd;

    private SshBoard(string directory, LoopbackPort port)
    {
        Directory = directory;
        _port = port;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port => _port.Number;

    public string User { get; } = Environment.UserName;

    /// <summary>The temp directory holding keys, config and known_hosts.</summary>
    public string Directory { get; }

    /// <summary>The client's private key (authorized on this board).</summary>
    public string IdentityFile => Path.Combine(Directory, "client_key");

    /// <summary>A known_hosts file that already holds this board's host key.</summary>
    public string KnownHostsFile => Path.Combine(Directory, "known_hosts");

    /// <summary>The listening sshd's process id (its connections are its children).</summary>
    public int ListenerPid => _sshd?.Id ?? 0;

    /// <summary>What sshd wrote to stderr so far (for diagnostics).</summary>
    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>How many logins sshd accepted so far (its "Accepted publickey" lines): one per SSH connection, so one
    /// per key exchange that got as far as a login.</summary>
    public int Logins => Log.Split('\n').Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal));

    /// <summary>Options a client needs for this board: its own known_hosts, strict checking, no GSSAPI.</summary>
    public IReadOnlyDictionary<string, string> ClientOptions => new Dictionary<string, string>
    {
        ["UserKnownHostsFile"] = KnownHostsFile,
        ["StrictHostKeyChecking"] = "yes",
        ["GSSAPIAuthentication"] = "no",
    };

    /// <summary>Starts a board. Call <see cref="LabRequirement.Programs"/> with "sshd", "ssh", "ssh-keygen" first.</summary>
    public static Task<SshBoard> StartAsync(CancellationToken cancellationToken = default) => StartAsync(new Dictionary<string, string>(), cancellationToken);

    /// <summary>Starts a board whose sessions get <paramref name="sessionEnvironment"/> (see <see cref="StartAsync(CancellationToken)"/>).</summary>
    /// <param name="sessionEnvironment">Variables sshd sets in every session (its <c>SetEnv</c>, over its defaults such
    /// as PATH), e.g. a private TMPDIR.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public static Task<SshBoard> StartAsync(IReadOnlyDictionary<string, string> sessionEnvironment, CancellationToken cancellationToken = default) =>
        StartAsync(sessionEnvironment, "INFO", cancellationToken);

    /// <summary>Starts a board whose sshd logs at DEBUG1 (<see cref="Log"/> then says, e.g., which cipher each
    /// connection negotiated: "kex: client->server cipher: ...").</summary>
    public static Task<SshBoard> StartWithDebugLogAsync(CancellationToken cancellationToken = default) =>
        StartAsync(new Dictionary<string, string>(), "DEBUG1", cancellationToken);

    private static async Task<SshBoard> StartAsync(IReadOnlyDictionary<string, string> sessionEnvironment, string logLevel, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("dt-sshboard-").FullName;
        try
        {
            await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-C", "devicetest-host", "-f", Path.Combine(directory, "host_key")], cancellationToken);
            await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-C", "devicetest-client", "-f", Path.Combine(directory, "client_key")], cancellationToken);
            File.Copy(Path.Combine(directory, "client_key.pub"), Path.Combine(directory, "authorized_keys"));
            System.IO.Directory.CreateDirectory("/run/sshd");

            var board = new SshBoard(directory, LoopbackPort.Reserve());
            try
            {
                await board.WriteFilesAsync(sessionEnvironment, logLevel, cancellationToken);
                await board.StartSshdAsync(cancellationToken);
                return board;
            }
            catch
            {
                board.StopSshd();
                board._port.Dispose();
                throw;
            }
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>A device entry for this board.</summary>
    public DeviceConfig CreateDeviceConfig(string name = "ssh-board", TimeSpan? connectTimeout = null, IReadOnlyDictionary<string, string>? extraOptions = null)
    {
        var options = new Dictionary<string, string>(ClientOptions);
        foreach (var (key, value) in extraOptions ?? new Dictionary<string, string>())
        {
            options[key] = value;
        }

        return new DeviceConfig
        {
            Name = name,
            Tags = ["lab", "ssh"],
            Ssh = new SshConfig
            {
                Host = Host,
                Port = Port,
                User = User,
                Identity = IdentityFile,
                Options = options,
                ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
            },
        };
    }

    /// <summary>
    /// Logins so far, not counting one plain <c>ssh</c> login (no control master) this makes last: sshd logs in order,
    /// so once that one is in the log every earlier login is too.
    /// </summary>
    public async Task<int> LoginsSoFarAsync(CancellationToken cancellationToken = default)
    {
        var before = Logins;
        await RunAsync(
            "ssh",
            ["-p", Port.ToString(CultureInfo.InvariantCulture), "-i", IdentityFile, "-o", "BatchMode=yes", "-o", "ControlPath=none", "-o", "IdentitiesOnly=yes",
                .. ClientOptions.SelectMany(o => new[] { "-o", o.Key + "=" + o.Value }), "-l", User, Host, "true"],
            cancellationToken);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Logins <= before)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"sshd did not log the probe's login within 10 s: {Log}");
            }

            await Task.Delay(20, cancellationToken);
        }

        return Logins - 1;
    }

    /// <summary>Kills the board's connection processes (children of the listener): every client sees the device vanish.</summary>
    public async Task KillConnectionsAsync()
    {
        if (_sshd is { HasExited: false } sshd)
        {
            await RunAsync("pkill", ["-KILL", "-P", sshd.Id.ToString(CultureInfo.InvariantCulture)], CancellationToken.None, allowFailure: true);
        }
    }

    /// <summary>Stops sshd and all its connections (the board "goes down"); <see cref="StartAgainAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        await KillConnectionsAsync();
        StopSshd();
    }

    /// <summary>Starts sshd again on the same port after <see cref="StopAsync"/>.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) => StartSshdAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _port.Dispose();
        TryDelete(Directory);
    }

    private async Task WriteFilesAsync(IReadOnlyDictionary<string, string> sessionEnvironment, string logLevel, CancellationToken cancellationToken)
    {
        var hostKey = (await File.ReadAllTextAsync(Path.Combine(Directory, "host_key.pub"), cancellationToken)).Split(' ');
        await File.WriteAllTextAsync(KnownHostsFile, $"[{Host}]:{Port} {hostKey[0]} {hostKey[1]}\n", cancellationToken);
        var sftp = new[] { "/usr/lib/openssh/sftp-server", "/usr/libexec/openssh/sftp-server", "/usr/libexec/sftp-server" }
            .FirstOrDefault(File.Exists);
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Port {Port}")
            .AppendLine(CultureInfo.InvariantCulture, $"ListenAddress {Host}")
            .AppendLine(CultureInfo.InvariantCulture, $"HostKey {Path.Combine(Directory, "host_key")}")
            .AppendLine(CultureInfo.InvariantCulture, $"AuthorizedKeysFile {Path.Combine(Directory, "authorized_keys")}")
            .AppendLine("PermitRootLogin prohibit-password")
            .AppendLine("PubkeyAuthentication yes")
            .AppendLine("PasswordAuthentication no")
            .AppendLine("KbdInteractiveAuthentication no")
            .AppendLine("UsePAM no")
            .AppendLine("StrictModes no")
            .AppendLine("PidFile none")
            .AppendLine("MaxSessions 64")
            .AppendLine("MaxStartups 64")
            .AppendLine("LogLevel " + logLevel);
        if (sftp is not null)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"Subsystem sftp {sftp}");
        }

        if (sessionEnvironment.Count > 0)
        {
            // One line: sshd takes the first SetEnv only.
            config.AppendLine("SetEnv " + string.Join(' ', sessionEnvironment.Select(pair => $"\"{pair.Key}={pair.Value}\"")));
        }

        await File.WriteAllTextAsync(Path.Combine(Directory, "sshd_config"), config.ToString(), cancellationToken);
    }

    private async Task StartSshdAsync(CancellationToken cancellationToken)
    {
        var sshdPath = LabRequirement.FindProgram("sshd") ?? "/usr/sbin/sshd";
        var start = new ProcessStartInfo(sshdPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-D", "-e", "-f", Path.Combine(Directory, "sshd_config") })
        {
            start.ArgumentList.Add(argument);
        }

        var sshd = Process.Start(start) ?? throw new InvalidOperationException("sshd did not start");
        _sshd = sshd;
        sshd.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _log.AppendLine(e.Data);
                }
            }
        };
        sshd.OutputDataReceived += (_, _) => { };
        sshd.BeginErrorReadLine();
        sshd.BeginOutputReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (sshd.HasExited)
            {
                throw new InvalidOperationException($"sshd exited with {sshd.ExitCode}: {Log}");
            }

            if (await AnswersAsync(cancellationToken))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new InvalidOperationException($"sshd did not answer on {Host}:{Port} within 20 s: {Log}");
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var buffer = new byte[64];
            var read = await client.GetStream().ReadAsync(buffer, timeout.Token);
            return read > 4 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SSH-", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void StopSshd()
    {
        var sshd = _sshd;
        _sshd = null;
        if (sshd is null)
        {
            return;
        }

        try
        {
            if (!sshd.HasExited)
            {
                sshd.Kill();
                sshd.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            sshd.Dispose();
        }
    }

    private static async Task RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(LabRequirement.FindProgram(program) ?? program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(stderr, stdout);
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"{program} failed with {process.ExitCode}: {await stderr}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
