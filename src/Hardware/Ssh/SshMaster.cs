using System.Globalization;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// The device's ControlMaster connection: started on first use (<c>ssh -f -N -o ControlMaster=yes</c>) on the device's
/// control socket, checked when something went wrong, and closed with <c>ssh -O exit</c> when the device goes down.
/// On a shared socket (<see cref="SshControlSocket"/>) a master another process started is used when it answers
/// <c>ssh -O check</c>; one that does not (stale socket, sshd gone) is replaced, under the socket's lock so that two
/// processes never start two masters. ControlPersist bounds the master's life once no process uses it.
/// </summary>
internal sealed class SshMaster : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SshArguments _arguments;
    private readonly SshControlSocket _socket;
    private readonly SshDeviceFacts? _facts;
    private string? _resolvedCiphers;
    private bool _resolved;
    private bool _answered;
    private bool _suspect;

    public SshMaster(SshArguments arguments, SshControlSocket socket)
    {
        _arguments = arguments;
        _socket = socket;
        _facts = socket.Facts;
    }

    /// <summary>True when no connection has found out yet whether the device's CPU has AES instructions.</summary>
    public bool WantsCpuFact => _facts is not null && _facts.CpuAes is null;

    /// <summary>Keeps what a command found out about the device's CPU, for the next master to choose its cipher.</summary>
    public void LearnCpuAes(bool aes) => _facts?.RecordCpuAes(aes);

    /// <summary>Marks the master as possibly dead (a session or transfer failed); the next use checks it.</summary>
    public void MarkSuspect() => _suspect = true;

    /// <summary>Makes sure the master runs; one connection attempt of at most ConnectTimeout.</summary>
    /// <exception cref="DeviceUnreachableException">ssh could not connect or log in.</exception>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_answered && !_suspect && File.Exists(_arguments.ControlPath))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await ResolveAsync(cancellationToken);
            var connectLimit = _arguments.Config.ConnectTimeout + TimeSpan.FromSeconds(5);

            // Another process may be starting the master right now: wait for it rather than start a second one.
            using var held = await LockAsync(connectLimit + TimeSpan.FromSeconds(10), cancellationToken);
            if (File.Exists(_arguments.ControlPath))
            {
                // A master this process saw answer, and nothing failed since: use it. Anything else (a master another
                // process started, or one a failure made suspect) must answer a check first.
                if ((_answered && !_suspect) || await CheckAsync(cancellationToken))
                {
                    _answered = true;
                    _suspect = false;
                    return;
                }

                // Stale (its ssh was killed, or its connection died and took it down): replace it.
                TryDelete(_arguments.ControlPath);
            }

            if (_arguments.Identity is { } identity && !File.Exists(identity))
            {
                throw SshErrors.Unreachable(_arguments, $"identity file {identity} not found");
            }

            ChooseCipher();
            var result = await SshProcess.RunAsync("ssh", _arguments.Master(), connectLimit, cancellationToken);
            if (result.TimedOut)
            {
                throw SshErrors.Unreachable(_arguments, $"connection timed out after {_arguments.ConnectTimeoutSeconds} s");
            }

            if (result.ExitCode != 0 || !File.Exists(_arguments.ControlPath))
            {
                throw SshErrors.Unreachable(_arguments, result.Stderr.Length > 0 ? result.Stderr : $"ssh exited with {result.ExitCode}");
            }

            _answered = true;
            _suspect = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The <c>ssh</c> arguments that start this master (after <c>ssh -G</c> resolved the settings and the cipher was
    /// chosen), for a process that starts it on its own under the socket's lock (DeviceTest.Tasks' early connect
    /// from a task host, which ends before the login would); null when the identity file is missing.
    /// </summary>
    public async Task<IReadOnlyList<string>?> StartArgumentsAsync(CancellationToken cancellationToken)
    {
        await ResolveAsync(cancellationToken);
        if (_arguments.Identity is { } identity && !File.Exists(identity))
        {
            return null;
        }

        ChooseCipher();
        return _arguments.Master();
    }

    private async Task<IDisposable?> LockAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _socket.LockAsync(timeout, cancellationToken);
        }
        catch (IOException e)
        {
            throw SshErrors.Unreachable(
                _arguments,
                string.Create(CultureInfo.InvariantCulture, $"another process has been connecting over {_arguments.ControlPath} for over {timeout.TotalSeconds:F0} s ({e.Message}); set DEVICETEST_SSH_SHARE=0 to give each process its own connection"));
        }
    }

    /// <summary>True when the master answers <c>ssh -O check</c>.</summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_arguments.ControlPath))
        {
            return false;
        }

        var result = await SshProcess.RunAsync("ssh", _arguments.Control("check"), TimeSpan.FromSeconds(10), cancellationToken);
        return result.ExitCode == 0;
    }

    /// <summary>Closes the master (if any) and forgets it: the device is going down (a reboot), so this connection
    /// is of no use to any process.</summary>
    public async Task ExitAsync(CancellationToken cancellationToken)
    {
        _answered = false;
        if (File.Exists(_arguments.ControlPath))
        {
            await SshProcess.RunAsync("ssh", _arguments.Control("exit"), TimeSpan.FromSeconds(10), cancellationToken);
            TryDelete(_arguments.ControlPath);
        }
    }

    /// <summary>A private master is closed; a shared one is left to the other processes of the run, and ends by
    /// itself (ControlPersist) when none uses it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_socket.IsShared)
        {
            await ExitAsync(CancellationToken.None);
        }

        _gate.Dispose();
    }

    private async Task ResolveAsync(CancellationToken cancellationToken)
    {
        if (_resolved)
        {
            return;
        }

        var result = await SshProcess.RunAsync("ssh", _arguments.Resolve(), TimeSpan.FromSeconds(10), cancellationToken);
        if (result.ExitCode != 0)
        {
            throw SshErrors.Unreachable(_arguments, result.Stderr);
        }

        var settings = result.Stdout.Split('\n')
            .Select(l => l.Trim().Split(' ', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.OrdinalIgnoreCase);
        _resolvedCiphers = settings.GetValueOrDefault("ciphers");
        _arguments.AcceptNewHostKeys =
            !settings.TryGetValue("stricthostkeychecking", out var strict) || string.Equals(strict, "ask", StringComparison.OrdinalIgnoreCase);
        if (settings.TryGetValue("user", out var user) && settings.TryGetValue("hostname", out var host) &&
            settings.TryGetValue("port", out var port))
        {
            _arguments.EffectiveTarget = string.Create(CultureInfo.InvariantCulture, $"{user}@{host}:{port}");
        }

        _resolved = true;
    }

    /// <summary>The master's cipher list from ssh_config's (<c>ssh -G</c>), this CPU and what is known of the device's.</summary>
    private void ChooseCipher() =>
        _arguments.Ciphers = SshCipherPreference.Choose(_resolvedCiphers, SshCipherPreference.LocalCpuHasAes, _facts?.CpuAes);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
