using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace DeviceTest.Hardware.Tests.Consoles;

/// <summary>
/// Checks shared by every console shell (pty, ser2net raw, RFC 2217, QEMU; with and without job control): commands
/// arrive byte for byte, and a timeout or a cancel ends the command's whole process group within seconds without
/// losing the device.
/// </summary>
internal static class ConsoleStopChecks
{
    /// <summary>How long after the timeout (or the cancel) the command's group must be gone and the call back.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    /// <summary>Scheduling slack on a loaded machine (and QEMU's emulated CPU) on top of <see cref="Bound"/>.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    public static async Task TimeoutEndsTheGroupAsync(IDevice device, TestContext context)
    {
        var pids = "/tmp/devicetest-pids-" + Guid.NewGuid().ToString("N")[..8];
        var timeout = TimeSpan.FromSeconds(3);
        var clock = Stopwatch.StartNew();
        var stuck = await device.RunAsync(
            new CommandRequest(CommandLine.FromShell($"echo started; sleep 61 & echo $! > {pids}; echo $$ >> {pids}; sleep 62")) { Timeout = timeout },
            CancellationToken.None);
        var elapsed = clock.Elapsed;
        context.WriteLine($"sleep 61 with timeout 3 s returned after {elapsed.TotalSeconds:0.00} s");

        Assert.IsTrue(stuck.TimedOut);
        Assert.AreEqual(-1, stuck.ExitCode);
        StringAssert.Contains(stuck.Stdout, "started");
        Assert.IsLessThan((timeout + Bound + Slack).TotalSeconds, elapsed.TotalSeconds, "the command's group ends within 2 s of the timeout");
        await AssertGoneAsync(device, pids);

        // A command that ignores SIGTERM gets SIGKILL after the grace period.
        var stubborn = await device.RunAsync(
            new CommandRequest(CommandLine.FromShell($"trap '' TERM; sleep 63 & echo $! > {pids}; sleep 64"))
            {
                Timeout = TimeSpan.FromSeconds(1),
                KillGracePeriod = TimeSpan.FromSeconds(1),
            },
            CancellationToken.None);
        Assert.IsTrue(stubborn.TimedOut);
        await AssertGoneAsync(device, pids);
    }

    public static async Task CancelEndsTheGroupAsync(IDevice device, TestContext context)
    {
        var pids = "/tmp/devicetest-pids-" + Guid.NewGuid().ToString("N")[..8];
        using var cancel = new CancellationTokenSource();
        var marker = "started-" + Guid.NewGuid().ToString("N")[..8];
        var running = device.RunAsync(CommandRequest.Shell($"sleep 61 & echo $! > {pids}; echo $$ >> {pids}; echo {marker}; sleep 62"), cancel.Token);
        await WaitForConsoleAsync(device, marker);
        Assert.IsFalse(running.IsCompleted);
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => running);
        context.WriteLine($"the cancel returned after {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.IsLessThan((Bound + Slack).TotalSeconds, clock.Elapsed.TotalSeconds, "the command's group ends within 2 s of the cancel");
        await AssertGoneAsync(device, pids);
    }

    public static async Task BytesArriveAsIsAsync(IDevice device)
    {
        const string Payload = "tab\there, controls \u0001\u0003\u0004\u0015\u001a\u001b[1m\u007f\r, quote ' \"double\" back\\slash $HOME `x` %s, é € 日本 🙂 end";
        var random = new Random(11);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?()-_=+";
        var longText = new string([.. Enumerable.Range(0, 20_000).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);

        var inCommand = await device.RunAsync(CommandRequest.Shell($"printf '%s' {ShellQuoting.Quote(Payload)} | sha256sum"), CancellationToken.None);
        var inEnvironment = await device.RunAsync(
            new CommandRequest(CommandLine.FromShell("printf '%s' \"$PAYLOAD\" | sha256sum")) { Environment = new Dictionary<string, string> { ["PAYLOAD"] = Payload } },
            CancellationToken.None);
        var inArguments = await device.RunAsync(CommandRequest.Arguments("sh", "-c", "printf '%s' \"$1\" | sha256sum", "sh", Payload), CancellationToken.None);
        var longCommand = await device.RunAsync(CommandRequest.Shell($"printf '%s' '{longText}' | sha256sum"), CancellationToken.None);
        var longLines = await device.RunAsync(CommandRequest.Shell($"printf '%s\\n' '{longText}' '{longText[..9000]}' | wc -lc"), CancellationToken.None);

        Assert.AreEqual(Sum(Payload), inCommand.Stdout, "a command with tabs, control bytes and UTF-8");
        Assert.AreEqual(Sum(Payload), inEnvironment.Stdout, "an environment value");
        Assert.AreEqual(Sum(Payload), inArguments.Stdout, "an argument");
        Assert.AreEqual(Sum(longText), longCommand.Stdout, "a 20000-character command, five times the terminal's line limit");
        CollectionAssert.AreEqual(new[] { "2", "29002" }, longLines.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.AreEqual("still here\n", (await device.RunAsync(CommandRequest.Shell("echo still here"), CancellationToken.None)).Stdout);
    }

    /// <summary>Waits (at most 60 s) until a line of the device's console log ends in <paramref name="line"/> (after a prompt, say; typed text does not end so).</summary>
    public static async Task WaitForConsoleAsync(IDevice device, string line)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!device.Console!.Log.Lines.Any(l => l.Text.TrimEnd().EndsWith(line, StringComparison.Ordinal)))
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"the console never showed the line '{line}'");
            await Task.Delay(20);
        }
    }

    private static string Sum(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))) + "  -\n";

    /// <summary>
    /// Every pid in <paramref name="pidFile"/> on the device is gone (or a zombie: an orphan waits for init to reap it,
    /// and this machine's init may never do), and the shell answers.
    /// </summary>
    private static async Task AssertGoneAsync(IDevice device, string pidFile)
    {
        var check = await device.RunAsync(
            new CommandRequest(CommandLine.FromShell($"for p in $(cat {pidFile} 2>/dev/null); do kill -0 $p 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' /proc/$p/status && echo alive $p; done; rm -f {pidFile}; echo checked"))
            {
                Timeout = TimeSpan.FromSeconds(30),
            },
            CancellationToken.None);
        Assert.AreEqual("checked\n", check.Stdout, "the command's processes are gone and the device answers");
    }
}
