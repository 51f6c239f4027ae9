using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware.Qemu;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Qemu;

/// <summary>No stray QEMU: parent-death signal, the long-lived launcher thread and the reaper of stale leases.</summary>
[TestClass]
[DoNotParallelize]
public sealed class QemuProcessLifetimeTests
{
    [TestMethod]
    public async Task A_qemu_under_setpriv_dies_when_its_parent_is_killed()
    {
        await QemuBoard.RequireAsync(CancellationToken.None);
        LabRequirement.Programs("setpriv", "sh");
        var dir = Directory.CreateTempSubdirectory("devicetest-pdeathsig-");
        try
        {
            var pidfile = Path.Combine(dir.FullName, "qemu.pid");
            var info = new ProcessStartInfo("sh") { RedirectStandardInput = true };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(
                "setpriv --pdeathsig SIGKILL -- qemu-system-x86_64 -nodefaults -display none -S -accel tcg "
                + $"-pidfile '{pidfile}' </dev/null & wait");
            using var parent = Process.Start(info)!;
            var qemu = await WaitForPidAsync(pidfile, TimeSpan.FromSeconds(30));
            Assert.IsTrue(QemuBoardTests.ProcessRuns(qemu));

            parent.Kill(); // SIGKILL: the parent gets no chance to clean up
            await parent.WaitForExitAsync();

            Assert.IsTrue(await GoneAsync(qemu, TimeSpan.FromSeconds(20)), $"qemu {qemu} outlived its killed parent");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [TestMethod]
    public async Task Tied_processes_outlive_the_thread_that_asked_for_them()
    {
        LabRequirement.Programs("setpriv", "sleep");
        var info = new ProcessStartInfo("sleep") { ArgumentList = { "300" } };
        Process? tied = null;
        string? osThread = null;
        var caller = new Thread(() =>
        {
            osThread = new FileInfo("/proc/thread-self").LinkTarget;
            tied = TiedProcess.StartAsync(info).GetAwaiter().GetResult();
        });
        caller.Start();
        caller.Join();
        try
        {
            Assert.IsTrue(TiedProcess.IsTied);

            // A parent-death signal fires when the OS thread ends: wait until it has (bounded), then look.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            var task = Path.Combine("/proc", osThread ?? throw new InvalidOperationException("no /proc/thread-self"));
            while (Directory.Exists(task) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.IsFalse(Directory.Exists(task), $"the OS thread {osThread} did not end");
            Assert.IsTrue(QemuBoardTests.ProcessRuns(tied!.Id), "a process started from a thread that ended still runs");
        }
        finally
        {
            tied?.Kill();
            tied?.Dispose();
        }
    }

    [TestMethod]
    public async Task Start_reaps_a_qemu_whose_owner_died()
    {
        await QemuBoard.RequireAsync(CancellationToken.None);
        var root = Directory.CreateTempSubdirectory("devicetest-runtime-");
        var leaseDir = Directory.CreateTempSubdirectory("devicetest-qemu-");
        try
        {
            // a QEMU recorded by an owner that no longer runs, started without any parent-death signal
            var pidfile = Path.Combine(leaseDir.FullName, "qemu.pid");
            var info = new ProcessStartInfo("qemu-system-x86_64")
            {
                RedirectStandardInput = true,
                ArgumentList = { "-nodefaults", "-display", "none", "-S", "-accel", "tcg", "-pidfile", pidfile },
            };
            using var orphan = Process.Start(info)!;
            var qemu = await WaitForPidAsync(pidfile, TimeSpan.FromSeconds(30));
            using var dead = Process.Start(new ProcessStartInfo("true"))!;
            await dead.WaitForExitAsync();
            var lease = Path.Combine(root.FullName, leaseDir.Name + ".lease");
            await File.WriteAllTextAsync(
                lease, string.Create(CultureInfo.InvariantCulture, $"owner {dead.Id} 1\ndir {leaseDir.FullName}\n"));
            // and one of a live owner (this process), which must be left alone
            var mine = Path.Combine(root.FullName, "mine.lease");
            await File.WriteAllTextAsync(
                mine,
                string.Create(CultureInfo.InvariantCulture, $"owner {Environment.ProcessId} {QemuLease.ReadStartTime(Environment.ProcessId)}\ndir /nonexistent\n"));

            var killed = QemuLease.ReapStale(root.FullName);

            CollectionAssert.AreEqual(new[] { qemu }, killed.ToArray());
            Assert.IsTrue(await GoneAsync(qemu, TimeSpan.FromSeconds(10)));
            Assert.IsFalse(File.Exists(lease));
            Assert.IsFalse(leaseDir.Exists && Directory.Exists(leaseDir.FullName));
            Assert.IsTrue(File.Exists(mine), "a live owner's lease stays");
        }
        finally
        {
            root.Delete(recursive: true);
            if (Directory.Exists(leaseDir.FullName))
            {
                leaseDir.Delete(recursive: true);
            }
        }
    }

    private static async Task<int> WaitForPidAsync(string pidfile, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(pidfile) && int.TryParse((await File.ReadAllTextAsync(pidfile)).Trim(), out var pid))
            {
                return pid;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"QEMU did not write {pidfile}");
    }

    private static async Task<bool> GoneAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!QemuBoardTests.ProcessRuns(pid))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
