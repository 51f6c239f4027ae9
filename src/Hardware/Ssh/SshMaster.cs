using System.Globalization;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// The device's ControlMaster connection: started on first use (<c>ssh -f -N -o ControlMaster=yes</c>) on a control
/// socket in a private directory, checked when something went wrong, and closed with <c>ssh -O exit</c>.
/// ControlPersist bounds its life if this process dies without closing it.
/// </summary>
internal sealed class SshMaster : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SshArguments _arguments;
    private bool _resolved;
    private bool _suspect;

    public SshMaster(SshArguments arguments) => _arguments = arguments;

    /// <summary>Marks the master as possibly dead (a session or transfer failed); the next use checks it.</summary>
    public void MarkSuspect() => _suspect = true;

    /// <summary>Makes sure the master runs; one connection attempt of at most ConnectTimeout.</summary>
    /// <exception cref="DeviceUnreachableException">ssh could not connect or log in.</exception>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (!_suspect && File.Exists(_arguments.ControlPath))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await ResolveAsync(cancellationToken);
            if (File.Exists(_arguments.ControlPath))
            {
                if (!_suspect || await CheckAsync(cancellationToken))
                {
                    _suspect = false;
                    return;
                }

                await ExitAsync(CancellationToken.None);
                TryDelete(_arguments.ControlPath);
            }

            if (_arguments.Identity is { } identity && !File.Exists(identity))
            {
                throw SshErrors.Unreachable(_arguments, $"identity file {identity} not found");
            }

            var result = await SshProcess.RunAsync(
                "ssh", _arguments.Master(), _arguments.Config.ConnectTimeout + TimeSpan.FromSeconds(5), cancellationToken);
            if (result.TimedOut)
            {
                throw SshErrors.Unreachable(_arguments, $"connection timed out after {_arguments.ConnectTimeoutSeconds} s");
            }

            if (result.ExitCode != 0 || !File.Exists(_arguments.ControlPath))
            {
                throw SshErrors.Unreachable(_arguments, result.Stderr.Length > 0 ? result.Stderr : $"ssh exited with {result.ExitCode}");
            }

            _suspect = false;
        }
        finally
        {
            _gate.Release();
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

    /// <summary>Closes the master (if any) and forgets it.</summary>
    public async Task ExitAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(_arguments.ControlPath))
        {
            await SshProcess.RunAsync("ssh", _arguments.Control("exit"), TimeSpan.FromSeconds(10), cancellationToken);
            TryDelete(_arguments.ControlPath);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ExitAsync(CancellationToken.None);
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
        _arguments.AcceptNewHostKeys =
            !settings.TryGetValue("stricthostkeychecking", out var strict) || string.Equals(strict, "ask", StringComparison.OrdinalIgnoreCase);
        if (settings.TryGetValue("user", out var user) && settings.TryGetValue("hostname", out var host) &&
            settings.TryGetValue("port", out var port))
        {
            _arguments.EffectiveTarget = string.Create(CultureInfo.InvariantCulture, $"{user}@{host}:{port}");
        }

        _resolved = true;
    }

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
