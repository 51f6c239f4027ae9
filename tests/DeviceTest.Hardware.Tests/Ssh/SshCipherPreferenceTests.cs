using System.Diagnostics;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab;

namespace DeviceTest.Hardware.Tests.Ssh;

/// <summary>When the master offers AES-GCM first, and how the CPU's AES instructions are recognised here and on the
/// device (the device side runs in sh with GNU grep and with busybox's, on sample /proc/cpuinfo texts).</summary>
[TestClass]
public sealed class SshCipherPreferenceTests
{
    private const string X86 = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU\nflags\t\t: fpu vme de pse sse2 ssse3 aes xsave avx\nbugs\t\t: spectre_v1\n\n";
    private const string X86WithoutAes = "processor\t: 0\nflags\t\t: fpu vme de pse sse2 ssse3 vaes xsave avx\n\n";
    private const string Arm64Crypto = "processor\t: 0\nBogoMIPS\t: 16.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\nCPU implementer\t: 0x41\n\n";
    private const string RaspberryPi4 = "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n";
    private const string ArmV7 = "processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\nFeatures\t: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt lpae evtstrm aes pmull sha1 sha2 crc32\n";
    private const string AesOnlyInTheModelName = "processor\t: 0\nmodel name\t: aes accelerator board\nflags\t\t: fpu sse2\n";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void AES_GCM_goes_first_only_when_both_ends_have_AES_and_the_list_is_the_default()
    {
        Assert.AreEqual(SshCipherPreference.AesFirst, SshCipherPreference.Choose(SshCipherPreference.OpenSshDefault, localAes: true, deviceAes: true));
        Assert.IsNull(SshCipherPreference.Choose(SshCipherPreference.OpenSshDefault, localAes: true, deviceAes: false), "a device without AES keeps chacha20");
        Assert.IsNull(SshCipherPreference.Choose(SshCipherPreference.OpenSshDefault, localAes: true, deviceAes: null), "the first connection keeps the default");
        Assert.IsNull(SshCipherPreference.Choose(SshCipherPreference.OpenSshDefault, localAes: false, deviceAes: true), "a host without AES keeps chacha20");
        Assert.IsNull(SshCipherPreference.Choose("aes256-ctr", localAes: true, deviceAes: true), "a list someone chose is kept");
        Assert.IsNull(SshCipherPreference.Choose(null, localAes: true, deviceAes: true));
    }

    [TestMethod]
    public void The_preferred_list_only_reorders_the_default()
    {
        CollectionAssert.AreEquivalent(SshCipherPreference.OpenSshDefault.Split(','), SshCipherPreference.AesFirst.Split(','));
        Assert.StartsWith("aes128-gcm@openssh.com,", SshCipherPreference.AesFirst);
    }

    [TestMethod]
    [DataRow(X86, true)]
    [DataRow(X86WithoutAes, false)]
    [DataRow(Arm64Crypto, true)]
    [DataRow(RaspberryPi4, false)]
    [DataRow(ArmV7, true)]
    [DataRow(AesOnlyInTheModelName, false)]
    [DataRow("", false)]
    public void AES_instructions_are_read_from_the_flags_or_features_line(string cpuInfo, bool expected) =>
        Assert.AreEqual(expected, SshCipherPreference.CpuInfoHasAes(cpuInfo));

    [TestMethod]
    public async Task The_device_side_probe_agrees_with_the_local_rule_in_sh_and_busybox()
    {
        LabRequirement.Programs("sh", "busybox");
        List<string[]> shells = [["sh", "-c"], [LabRequirement.FindProgram("busybox")!, "sh", "-c"]];

        var directory = Directory.CreateTempSubdirectory("dt-cpuinfo-").FullName;
        try
        {
            foreach (var text in new[] { X86, X86WithoutAes, Arm64Crypto, RaspberryPi4, ArmV7, AesOnlyInTheModelName, string.Empty })
            {
                var file = Path.Combine(directory, "cpuinfo");
                await File.WriteAllTextAsync(file, text, TestContext.CancellationToken);
                var probe = SshCipherPreference.DeviceProbe("cpu:").Replace("/proc/cpuinfo", file, StringComparison.Ordinal);
                foreach (var shell in shells)
                {
                    var output = await RunAsync(shell, probe);
                    Assert.AreEqual(SshCipherPreference.CpuInfoHasAes(text) ? "cpu: yes\n" : "cpu: no\n", output, $"{string.Join(' ', shell)} on:\n{text}");
                }
            }

            Assert.AreEqual("cpu: no\n", await RunAsync(shells[0], SshCipherPreference.DeviceProbe("cpu:").Replace("/proc/cpuinfo", Path.Combine(directory, "missing"), StringComparison.Ordinal)), "no cpuinfo (not Linux): no");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<string> RunAsync(string[] shell, string script)
    {
        var start = new ProcessStartInfo(shell[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in shell.Skip(1).Append(script))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        await process.WaitForExitAsync(TestContext.CancellationToken);
        return output;
    }
}
