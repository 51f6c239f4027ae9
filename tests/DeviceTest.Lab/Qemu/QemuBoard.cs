using System.Diagnostics;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Lab.Qemu;

/// <summary>
/// The lab's QEMU virtual board (docs/lab.md), built by build/lab/qemu-board.sh into build/lab/out/: started
/// with its forwarded SSH port held for the board's life (<see cref="LoopbackPort"/>), its serial console read
/// through a <see cref="ConsoleTap"/> until the prompt. x86_64 unless an arm64 <see cref="QemuBoardImage"/> is
/// asked for. (The serial console is a unix socket in the run's private folder, <see cref="QemuMachine.SerialSocketPath"/>.)
/// </summary>
public sealed class QemuBoard : IAsyncDisposable
{
    /// <summary>What the board prints once dropbear runs, just before the console shell starts.</summary>
    public const string Banner = "DeviceTest QEMU board ready";

    /// <summary>The root shell's prompt on the console.</summary>
    public const string Prompt = "/ # ";

    /// <summary>The login prompt with <c>devicetest.login=1</c> (users root/root and tester/tester).</summary>
    public const string LoginPrompt = "login: ";

    /// <summary>The x86_64 board's kernel command line (the arm64 one: <see cref="QemuBoardImage.DefaultAppend"/>).</summary>
    public const string DefaultAppend = "console=ttyS0 quiet no_timer_check"; // as QemuBoardImage.X64.DefaultAppend

    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private static string? _buildProblem;
    private static bool _built;

    private readonly LoopbackPort _sshPort;

    private QemuBoard(QemuBoardImage image, QemuMachine machine, LoopbackPort sshPort, ConsoleTap console)
    {
        Image = image;
        Machine = machine;
        _sshPort = sshPort;
        Console = console;
    }

    /// <summary>The folder with Adapter.sln, found upwards from the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string OutDirectory => Path.Combine(RepositoryRoot, "build", "lab", "out");

    /// <summary>The x86_64 board's kernel.</summary>
    public static string KernelPath => QemuBoardImage.X64.KernelPath;

    /// <summary>The x86_64 board's initramfs.</summary>
    public static string InitrdPath => QemuBoardImage.X64.InitrdPath;

    /// <summary>The private key whose public half is root's authorized key on the board.</summary>
    public static string KeyPath => Path.Combine(OutDirectory, "id_ed25519");

    /// <summary>Which board this is (x86_64 or arm64).</summary>
    public QemuBoardImage Image { get; }

    public QemuMachine Machine { get; }

    /// <summary>The host port forwarded to the board's dropbear (127.0.0.1).</summary>
    public int SshPort => _sshPort.Number;

    /// <summary>The serial console, read since before the board started.</summary>
    public ConsoleTap Console { get; }

    /// <summary>
    /// Requires QEMU and the board image; builds the image with build/lab/qemu-board.sh (quick when up to date).
    /// Skips (or on CI fails) the current test when a part is missing.
    /// </summary>
    public static Task RequireAsync(CancellationToken cancellationToken) => RequireAsync(QemuBoardImage.X64, cancellationToken);

    /// <summary>
    /// Requires <paramref name="image"/>'s QEMU (e.g. qemu-system-aarch64) and the image; builds the images with
    /// build/lab/qemu-board.sh (quick when up to date). Skips (or on CI fails) the current test when a part is missing.
    /// </summary>
    public static async Task RequireAsync(QemuBoardImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        LabRequirement.Programs(image.Program, "qemu-img");
        await EnsureBuiltAsync(cancellationToken);
        if (_buildProblem is not null && !(File.Exists(image.KernelPath) && File.Exists(image.InitrdPath) && File.Exists(KeyPath)))
        {
            LabRequirement.Missing(image.What + ": " + _buildProblem);
        }

        LabRequirement.Files(image.What, image.KernelPath, image.InitrdPath, KeyPath);
    }

    /// <summary>The x86_64 board's qemu section with <paramref name="sshPort"/> forwarded to port 22.</summary>
    public static QemuConfig Config(int sshPort, string? append = null, string? disk = null) =>
        Config(QemuBoardImage.X64, sshPort, append, disk);

    /// <summary><paramref name="image"/>'s qemu section with <paramref name="sshPort"/> forwarded to port 22.</summary>
    public static QemuConfig Config(QemuBoardImage image, int sshPort, string? append = null, string? disk = null) => new()
    {
        Arch = image?.Arch ?? throw new ArgumentNullException(nameof(image)),
        Kernel = image.KernelPath,
        Initrd = image.InitrdPath,
        Append = append ?? image.DefaultAppend,
        Disk = disk,
        Memory = 256,
        Forwards = [$"tcp:127.0.0.1:{sshPort}-:22"],
    };

    /// <summary>
    /// A devices.yml entry for the x86_64 board with commands over SSH to its dropbear on <paramref name="sshPort"/>
    /// (docs/devices.md's <c>qemu-ssh</c> example).
    /// </summary>
    public static DeviceConfig SshDeviceConfig(int sshPort, TimeSpan bootTimeout, string name = "qemu-ssh") => new()
    {
        Name = name,
        Qemu = Config(sshPort),
        Shell = new ShellConfig { Prompt = "/ # $", BootTimeout = bootTimeout },
        Ssh = new SshConfig
        {
            Host = "127.0.0.1",
            Port = sshPort,
            User = "root",
            Identity = KeyPath,
            Options = new Dictionary<string, string> { ["StrictHostKeyChecking"] = "no", ["UserKnownHostsFile"] = "/dev/null" },
            ConnectTimeout = TimeSpan.FromSeconds(5),
        },
    };

    /// <summary>Starts the board paused, connects to its console, lets it run and waits for <paramref name="waitFor"/>.</summary>
    /// <param name="append">The kernel command line (default: <see cref="DefaultAppend"/>).</param>
    /// <param name="disk">A disk image to attach (through a copy-on-write overlay).</param>
    /// <param name="waitFor">Text to wait for on the console (default: <see cref="Prompt"/>); null: do not wait.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<QemuBoard> StartAsync(
        string? append = null, string? disk = null, string? waitFor = Prompt, CancellationToken cancellationToken = default) =>
        StartAsync(QemuBoardImage.X64, append, disk, waitFor, cancellationToken);

    /// <summary>Starts <paramref name="image"/>'s board as <see cref="StartAsync(string?, string?, string?, CancellationToken)"/> does.</summary>
    /// <param name="image">Which board: <see cref="QemuBoardImage.X64"/> or <see cref="QemuBoardImage.Arm64"/>.</param>
    /// <param name="append">The kernel command line (default: the image's <see cref="QemuBoardImage.DefaultAppend"/>).</param>
    /// <param name="disk">A disk image to attach (through a copy-on-write overlay).</param>
    /// <param name="waitFor">Text to wait for on the console (default: <see cref="Prompt"/>); null: do not wait.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<QemuBoard> StartAsync(
        QemuBoardImage image, string? append = null, string? disk = null, string? waitFor = Prompt, CancellationToken cancellationToken = default)
    {
        await RequireAsync(image, cancellationToken);
        var sshPort = LoopbackPort.Reserve();
        var machine = new QemuMachine(
            Config(image, sshPort.Number, append, disk),
            new QemuMachineOptions { Name = "lab-board", StartPaused = true });
        ConsoleTap? console = null;
        try
        {
            await machine.StartAsync(cancellationToken);
            console = await ConsoleTap.ConnectAsync(machine.SerialSocketPath!, cancellationToken);
            await machine.Qmp.ContinueAsync(cancellationToken);
            var board = new QemuBoard(image, machine, sshPort, console);
            if (waitFor is not null)
            {
                await console.ExpectAsync(waitFor, TimeSpan.FromSeconds(60), cancellationToken);
            }

            return board;
        }
        catch
        {
            await DisposeQuietlyAsync(console, machine);
            sshPort.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> on the board with the system ssh client and the test key.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> SshAsync(
        string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("ssh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[]
        {
            "-p", SshPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", KeyPath,
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "IdentitiesOnly=yes",
            "root@127.0.0.1", command,
        })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return (-1, await stdout, await stderr + $"\n(ssh timed out after {timeout.TotalSeconds:0} s)");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Waits until dropbear answers <c>ssh ... true</c>.</summary>
    public async Task WaitForSshAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            var (code, _, error) = await SshAsync("true", TimeSpan.FromSeconds(15), cancellationToken);
            if (code == 0)
            {
                return;
            }

            last = error.Trim();
            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"dropbear on 127.0.0.1:{SshPort} did not answer ssh within {timeout.TotalSeconds:0} s: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeQuietlyAsync(Console, Machine);
        _sshPort.Dispose();
    }

    private static async Task DisposeQuietlyAsync(ConsoleTap? console, QemuMachine machine)
    {
        if (console is not null)
        {
            await console.DisposeAsync();
        }

        await machine.DisposeAsync();
    }

    private static async Task EnsureBuiltAsync(CancellationToken cancellationToken)
    {
        await BuildLock.WaitAsync(cancellationToken);
        try
        {
            if (_built)
            {
                return;
            }

            var script = Path.Combine(RepositoryRoot, "build", "lab", "qemu-board.sh");
            if (!File.Exists(script))
            {
                _buildProblem = $"{script} is missing";
                return;
            }

            var info = new ProcessStartInfo("bash")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.ArgumentList.Add(script);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            _buildProblem = process.ExitCode == 0
                ? null
                : $"build/lab/qemu-board.sh failed (exit code {process.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}";
            _built = true;
        }
        finally
        {
            BuildLock.Release();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Adapter.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
