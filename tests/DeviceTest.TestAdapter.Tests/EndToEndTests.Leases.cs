using System.Globalization;
using System.Xml.Linq;
using DeviceTest.Lab;
using DeviceTest.Lab.Etcd;
using DeviceTest.Lab.Ssh;
using DeviceTest.TestAdapter.Tests.Fakes;

namespace DeviceTest.TestAdapter.Tests;

/// <summary><c>dotnet test</c> with device leases in a real 3-member etcd cluster.</summary>
public sealed partial class EndToEndTests
{
    [TestMethod]
    public async Task A_pool_of_two_devices_leased_in_etcd_with_Parallel_2_uses_both_and_names_each_in_DEVICETEST_DEVICE()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep");
        await using var cluster = await EtcdCluster.StartAsync();
        await using var board = await SshBoard.StartAsync();
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        var ssh = $"{{ host: {board.Host}, port: {board.Port}, user: {board.User}, identity: '{board.IdentityFile}', options: {{ {options} }} }}";
        var devices = Path.Combine(_results, "devices.yml");
        File.WriteAllText(devices, $"devices:\n  pool-a:\n    tags: [pool]\n    ssh: {ssh}\n  pool-b:\n    tags: [pool]\n    ssh: {ssh}\n");
        var revision = await cluster.RevisionAsync();
        var (exitCode, output) = await Dotnet.RunAsync(
            ["test", E2E, "--no-build", "--results-directory", _results, "--filter", "Spec=pool1|Spec=pool2", "--logger", "trx;LogFileName=pool.trx",
             "--", $"DeviceTest.DevicesFile={devices}", "DeviceTest.Tags=pool", "DeviceTest.Parallel=2", $"DeviceTest.Leases={cluster.Url}"]);

        Assert.AreEqual(0, exitCode, output);
        Assert.IsTrue(await cluster.RevisionAsync() >= revision + 4, "the devices were claimed and released in etcd");
        var uses = XDocument.Load(Path.Combine(_results, "pool.trx")).Descendants(Trx + "StdOut")
            .SelectMany(o => o.Value.Split('\n'))
            .Select(l => l.Trim().Split(' '))
            .Where(f => f.Length == 4 && f[0] == "use")
            .Select(f => (Device: f[1], Mark: f[2], At: long.Parse(f[3], CultureInfo.InvariantCulture)))
            .ToList();
        Assert.HasCount(8, uses, output);
        CollectionAssert.AreEquivalent(new[] { "pool-a", "pool-b" }, uses.Select(u => u.Device).Distinct().ToArray(), "both devices of the pool were used");
        foreach (var device in uses.GroupBy(u => u.Device))
        {
            var marks = device.OrderBy(u => u.At).Select(u => u.Mark).ToList();
            CollectionAssert.AreEqual(new[] { "start", "end", "start", "end" }, marks, $"one test at a time on {device.Key}");
        }
    }
}
