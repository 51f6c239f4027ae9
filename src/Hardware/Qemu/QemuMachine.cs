using System.Diagnostics;
using System.Net.Sockets;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Qemu;

/// <summary>
/// A QEMU virtual board: starts <c>qemu-system-&lt;arch&gt;</c> from a <see cref="QemuConfig"/> with its serial
/// console (<see cref="SerialSocketPath"/>) and QMP (<see cref="Qmp"/>) on unix sockets in the run's private folder
/// (0700: no other local user can reach them), a copy-on-write overlay over the configured disk and QEMU user networking with the
/// configured port forwards. QEMU dies with this process (see <see cref="TiedProcess"/>); QEMUs of earlier
/// runs that were killed are reaped on start.
/// </summary>
public sealed class QemuMachine : IQemuMachine
{
    private const int StderrLines = 40;
    private const string ConsoleSocketName = "console.sock";

    private readonly QemuMachineOptions _options;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Queue<string> _stderr = new();
    private Process? _process;
    private QmpClient? _qmp;
    private QemuLease? _lease;
    private bool _disposed;

    public QemuMachine(QemuConfig config, QemuMachineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _options = options ?? new QemuMachineOptions();
        Name = _options.Name ?? "qemu";
    }

    public QemuConfig Config { get; }

    /// <summary>The device's name (options), used in messages.</summary>
    public string Name { get; }

    /// <summary>For display, e.g. "qemu-system-x86_64 (tcg) serial unix:/tmp/devicetest-qemu-x1/console.sock".</summary>
    public string Description =>
        $"{QemuCommandLine.Binary(Config)} ({Accelerator})" + (SerialSocketPath is { } path ? $" serial unix:{path}" : string.Empty);

    /// <summary>
    /// The accelerator QEMU is started with: the options', else $DEVICETEST_QEMU_ACCEL's (a <c>kvm</c> there only for
    /// guests of the host's architecture, e.g. not for an aarch64 board on an x86_64 host), else <c>tcg</c>.
    /// </summary>
    public string Accelerator => QemuCommandLine.ChooseAccelerator(
        _options.Accelerator,
        Environment.GetEnvironmentVariable(QemuMachineOptions.AcceleratorVariable),
        Config.Arch,
        QemuCommandLine.HostArch);

    /// <summary>
    /// The serial console's unix socket while QEMU runs (a new one after each start), in the run's private folder;
    /// <see cref="Serial.ConsoleTransports.UnixSocket"/> connects to it.
    /// </summary>
    public string? SerialSocketPath => _lease is null ? null : Path.Combine(_lease.Directory, ConsoleSocketName);

    /// <summary>Everything the guest wrote to its serial port, also while no console was connected.</summary>
    public string? SerialLogPath => _lease is null ? null : Path.Combine(_lease.Directory, "serial.log");

    /// <summary>The copy-on-write overlay over <see cref="QemuConfig.Disk"/>, or null.</summary>
    public string? OverlayPath { get; private set; }

    /// <summary>QEMU's process id while it runs.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The QMP connection of the running QEMU.</summary>
    /// <exception cref="InvalidOperationException">QEMU is not running.</exception>
    public QmpClient Qmp => _qmp is not null && IsRunning
        ? _qmp
        : throw new InvalidOperationException($"QEMU for {Name} is not running; start it first.");

    /// <summary>The program and arguments of the last start, for diagnostics.</summary>
    public IReadOnlyList<string> LastCommandLine { get; private set; } = [];

    /// <summary>Reaps QEMUs left behind by killed runs (their owner process is gone) in the default runtime dir.</summary>
    /// <returns>The ids of the processes killed.</returns>
    public static IReadOnlyList<int> ReapStale() => QemuLease.ReapStale(QemuLease.RuntimeRoot);

    /// <summary>Starts QEMU (no-op when it runs) and connects QMP.</summary>
    /// <exception cref="DeviceUnreachableException">QEMU could not be started; the message has its error output and command line.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsRunning)
            {
                return;
            }

            await CleanupAsync();
            var runtimeRoot = _options.RuntimeDirectory ?? QemuLease.RuntimeRoot;
            QemuLease.ReapStale(runtimeRoot);
            _lease = QemuLease.Create(runtimeRoot);
            var paths = await PreparePathsAsync(_lease, cancellationToken);
            await LaunchAsync(paths, cancellationToken);
        }
        catch
        {
            await CleanupAsync();
            throw;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops QEMU: QMP <c>quit</c>, then a kill when it has not exited after <see cref="QemuMachineOptions.QuitTimeout"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            await StopCoreAsync(cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Waits until QEMU exits (e.g. after the guest powered off or QMP <c>quit</c>).</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        if (_process is { } p)
        {
            await p.WaitForExitAsync(cancellationToken);
        }
    }

    /// <summary>QMP <c>stop</c>: the guest freezes.</summary>
    public Task PauseAsync(CancellationToken cancellationToken) => Qmp.StopAsync(cancellationToken);

    /// <summary>QMP <c>cont</c> when the guest is paused (after a start with <see cref="QemuMachineOptions.StartPaused"/>, or a pause).</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        var status = await Qmp.QueryStatusAsync(cancellationToken);
        if (!status.Running)
        {
            await Qmp.ContinueAsync(cancellationToken);
        }
    }

    /// <summary>QMP <c>system_reset</c>.</summary>
    public Task ResetAsync(CancellationToken cancellationToken) => Qmp.SystemResetAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            using var timeout = new CancellationTokenSource(_options.QuitTimeout + TimeSpan.FromSeconds(5));
            try
            {
                await StopCoreAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
                await CleanupAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }

        _lifecycle.Dispose();
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false } process)
        {
            if (_qmp is not null)
            {
                using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                quit.CancelAfter(_options.QuitTimeout);
                try
                {
                    await _qmp.QuitAsync(quit.Token);
                    await process.WaitForExitAsync(quit.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or QmpException or ObjectDisposedException)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (!process.HasExited)
            {
                await KillAsync();
            }
        }

        await CleanupAsync();
    }

    private async Task<QemuPaths> PreparePathsAsync(QemuLease lease, CancellationToken cancellationToken)
    {
        var kernel = ResolveExisting(Config.Kernel, "kernel");
        var initrd = ResolveExisting(Config.Initrd, "initrd");
        var disk = ResolveExisting(Config.Disk, "disk");
        string? overlay = null;
        if (disk is not null)
        {
            overlay = Path.Combine(lease.Directory, "disk-overlay.qcow2");
            var format = await QemuImg.DetectFormatAsync(disk, cancellationToken);
            await QemuImg.CreateOverlayAsync(disk, format, overlay, cancellationToken);
        }

        OverlayPath = overlay;
        return new QemuPaths(kernel, initrd, overlay, Path.Combine(lease.Directory, "qmp.sock"), lease.PidFile, Path.Combine(lease.Directory, ConsoleSocketName));
    }

    private string? ResolveExisting(string? path, string what)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var full = Path.GetFullPath(ExpandHome(path), _options.BaseDirectory ?? Directory.GetCurrentDirectory());
        if (!File.Exists(full))
        {
            throw new DeviceUnreachableException(
                $"{Name}: the qemu {what} '{path}' does not exist (looked at {full}); fix the device's qemu.{what} setting.");
        }

        return full;
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private async Task LaunchAsync(QemuPaths paths, CancellationToken cancellationToken)
    {
        var binary = QemuCommandLine.Binary(Config);
        var args = QemuCommandLine.Build(
            Config, Accelerator, paths, SerialLogPath!, "devicetest-" + Name, _options.StartPaused);
        LastCommandLine = [binary, .. args];
        lock (_stderr)
        {
            _stderr.Clear();
        }

        var info = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = await TiedProcess.StartAsync(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DeviceUnreachableException(
                $"{Name}: cannot run {binary}: {e.Message}. Install QEMU (Debian: qemu-system-x86 / qemu-system-arm) or set qemu.binary.", e);
        }

        _process = process;
        process.ErrorDataReceived += (_, e) => KeepStderr(e.Data);
        process.OutputDataReceived += (_, e) => KeepStderr(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StartTimeout);
        try
        {
            _qmp = await ConnectQmpAsync(process, paths.QmpSocket, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync();
            throw new DeviceUnreachableException(
                $"{Name}: QEMU did not open its QMP socket within {_options.StartTimeout.TotalSeconds:0} s.{StderrText()}\n  command: {CommandText()}");
        }
        catch
        {
            await KillAsync();
            throw;
        }
    }

    private async Task<QmpClient> ConnectQmpAsync(Process process, string socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken); // drains stderr
                throw new DeviceUnreachableException(
                    $"{Name}: QEMU exited at start with code {process.ExitCode}.{StderrText()}\n  command: {CommandText()}");
            }

            if (File.Exists(socket))
            {
                try
                {
                    return await QmpClient.ConnectAsync(socket, cancellationToken);
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    // QEMU has bound the socket but does not listen yet
                }
            }

            await Task.Delay(25, cancellationToken);
        }
    }

    private void KeepStderr(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > StderrLines)
            {
                _stderr.Dequeue();
            }
        }
    }

    private string StderrText()
    {
        lock (_stderr)
        {
            return _stderr.Count == 0 ? string.Empty : "\n  " + string.Join("\n  ", _stderr);
        }
    }

    private string CommandText() => string.Join(' ', LastCommandLine.Select(ShellQuoting.Quote));

    private async Task KillAsync()
    {
        if (_process is not { } p)
        {
            return;
        }

        try
        {
            if (!p.HasExited)
            {
                p.Kill();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await p.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
        }
    }

    private async Task CleanupAsync()
    {
        if (_qmp is not null)
        {
            await _qmp.DisposeAsync();
            _qmp = null;
        }

        if (_process is { } p)
        {
            if (p.HasExited)
            {
                p.Dispose();
                _process = null;
            }
            else
            {
                return; // keep the lease: QEMU still runs (the reaper finds it if we die)
            }
        }

        _lease?.Release();
        _lease = null;
        OverlayPath = null;
    }
}
