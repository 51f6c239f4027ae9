using System.Diagnostics;
using System.Globalization;
using DeviceTest.Lab;

namespace DeviceTest.Hardware.Tests.LabRules;

/// <summary>
/// Tests that cancel a build or a devicetest run with SIGINT start it through <see cref="Interruptible"/>, so the
/// SIGINT arrives even when the test run itself ignores SIGINT, as it does when started as a background job of a
/// non-interactive shell (the cancel test of DeployToDevice waited two minutes in vain in such runs). Here the test run's
/// state is made deterministic: <c>env --ignore-signal=INT</c> stands for the shell that started it.
/// </summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InterruptibleTests
{
    [TestMethod]
    public async Task A_program_started_to_be_interrupted_stops_on_SIGINT_even_when_the_test_run_ignores_it()
    {
        var program = new ProcessStartInfo("sleep", ["300"]);
        Interruptible.ResetSigint(program);
        using var sleep = StartIgnoringSigint(program);
        try
        {
            await WaitUntilRunningAsync(sleep, "sleep");
            Assert.IsFalse(Interruptible.SigintIgnored(sleep.Id), "the program still ignores SIGINT");
            using (var kill = Process.Start("kill", ["-INT", sleep.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await sleep.WaitForExitAsync(bound.Token);
            Assert.AreEqual(128 + 2, sleep.ExitCode, "ended by SIGINT");
        }
        finally
        {
            Stop(sleep);
        }
    }

    [TestMethod]
    public async Task Without_it_the_program_inherits_the_ignored_SIGINT()
    {
        using var sleep = StartIgnoringSigint(new ProcessStartInfo("sleep", ["300"]));
        try
        {
            await WaitUntilRunningAsync(sleep, "sleep");
            Assert.IsTrue(Interruptible.SigintIgnored(sleep.Id), "a program started by a process that ignores SIGINT ignores it too");
        }
        finally
        {
            Stop(sleep);
        }
    }

    [TestMethod]
    public void Arguments_given_as_one_string_are_refused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Interruptible.ResetSigint(new ProcessStartInfo("sleep", "300")));
    }

    /// <summary>Starts <paramref name="program"/> from a parent that ignores SIGINT (what a test run started with
    /// <c>&amp;</c> by a non-interactive shell is).</summary>
    private static Process StartIgnoringSigint(ProcessStartInfo program)
    {
        var start = new ProcessStartInfo("env") { UseShellExecute = false };
        foreach (var word in (string[])["--ignore-signal=INT", "--", program.FileName, .. program.ArgumentList])
        {
            start.ArgumentList.Add(word);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("env did not start");
    }

    /// <summary>Waits (10 s at most) until the process has exec'd <paramref name="name"/>, the end of the env chain.</summary>
    private static async Task WaitUntilRunningAsync(Process process, string name)
    {
        var comm = $"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/comm";
        var deadline = Stopwatch.StartNew();
        while ((await File.ReadAllTextAsync(comm)).Trim() != name)
        {
            Assert.IsLessThan(TimeSpan.FromSeconds(10), deadline.Elapsed, $"{name} did not start");
            await Task.Delay(20);
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }
    }
}
