using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware.Flashing;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Tasks;

/// <summary>
/// Starts a shared ControlMaster ahead of the deploy, under the socket's lock (so the deploy waits for it rather than
/// start a second one), and forgets it. How depends on how long the process that runs the task lives:
/// <list type="bullet">
/// <item>A build node (the <c>dotnet build</c>/<c>dotnet test</c> process itself, or a worker node): a background
/// thread runs <see cref="SshMaster.EnsureAsync"/>, as the deploy would. The deploy later in the same build (same
/// node) waits for it; a build that ends first (it failed, or does not deploy) ends the thread with the process and is
/// not held up by it. An <c>ssh</c> still logging in then finishes on its own (a master that ends by ControlPersist)
/// or fails unseen; the lock goes with the process.</item>
/// <item>A task host (<c>DeviceTestTaskHost=true</c>, Visual Studio): it exits as soon as the task returns, and
/// MSBuild waits for it to, so neither a background nor a foreground thread can do the work there. The task checks
/// and resolves the settings (<c>ssh -G</c>, a few ms) and hands the master's start to a process of its own:
/// <c>flock -o</c> (util-linux) holds the socket's lock (the same <c>flock(2)</c> lock .NET takes) while
/// <c>ssh -f -N</c> logs in, and lets ssh's master go on without it. Without <c>flock</c> (macOS) nothing is started
/// early there.</item>
/// </list>
/// </summary>
internal static class EarlyMaster
{
    // ssh -G, the lock and one connection attempt each have bounds of their own; this caps the whole.
    private static readonly TimeSpan Extra = TimeSpan.FromSeconds(30);

    /// <summary>Starts the master's connection; returns at once and says how it was started (for a low-importance message).</summary>
    public static async Task<string> StartAsync(SshArguments arguments, SshControlSocket socket)
    {
        if (!InTaskHost())
        {
            var thread = new Thread(() => Run(arguments, socket)) { IsBackground = true, Name = "DeviceTest early connect" };
            thread.Start();
            return "on a background thread";
        }

        return await StartDetachedAsync(arguments, socket);
    }

    private static void Run(SshArguments arguments, SshControlSocket socket)
    {
        // This thread exists only to wait for the connection; the build does not wait for the thread.
        ConnectAsync(arguments, socket).GetAwaiter().GetResult();
    }

    private static async Task ConnectAsync(SshArguments arguments, SshControlSocket socket)
    {
        using var limit = new CancellationTokenSource(arguments.Config.ConnectTimeout + Extra);
        try
        {
            // A shared master is not closed when its object goes: it is for the deploy (and the test host) to use.
            await using var master = new SshMaster(arguments, socket);
            await master.EnsureAsync(limit.Token);
        }
#pragma warning disable CA1031 // Only a head start: the deploy connects, and reports what went wrong, itself.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static async Task<string> StartDetachedAsync(SshArguments arguments, SshControlSocket socket)
    {
        if (File.Exists(socket.Path))
        {
            return "a master is there already (the deploy checks it)";
        }

        if (ToolPath.Find("flock") is not { } flock)
        {
            return "not started: a task host ends with the task, and without flock(1) nothing can hold the connection's lock after it";
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var master = new SshMaster(arguments, socket);
        if (await master.StartArgumentsAsync(limit.Token) is not { } ssh)
        {
            return "not started: the identity file is missing (the deploy reports it)";
        }

        var wait = arguments.Config.ConnectTimeout + TimeSpan.FromSeconds(15);

        // sh: no output reaches the build (ssh's master keeps the descriptors it started with); flock -o: the lock is
        // held while ssh logs in, not by the master it leaves behind; the inner sh: a master that came up while
        // flock waited (the deploy's) is not started twice.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        string[] command =
        [
            "-c", "exec </dev/null >/dev/null 2>&1; exec \"$@\"", "sh",
            flock, "-o", "-w", ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture), socket.Path + ".lock",
            "/bin/sh", "-c", "test -S \"$0\" || exec ssh \"$@\"", socket.Path,
            .. ssh,
        ];
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start);
        return "by a process of its own (the task host ends with the task)";
    }

    /// <summary>True in MSBuild's task host (<c>/nodemode:2</c> on its command line), which exits when the task returns.</summary>
    private static bool InTaskHost() =>
        Environment.GetCommandLineArgs().Any(a => a.TrimStart('/', '-').Equals("nodemode:2", StringComparison.OrdinalIgnoreCase));
}
