using System.Diagnostics;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Ssh;

/// <summary>
/// The cipher each master connection negotiates, read from the lab's real sshd (logging at DEBUG1). The "device" is
/// this host, so it has AES instructions exactly when this host does.
/// </summary>
[TestClass]
public sealed class SshCipherChoiceTests
{
    private const string CipherLine = "kex: client->server cipher: ";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_device_found_to_have_AES_gets_AES_GCM_from_its_next_connection_on()
    {
        await using var board = await StartBoardAsync();
        var config = board.CreateDeviceConfig("cipher");
        var aes = SshCipherPreference.CpuInfoHasAes(await File.ReadAllTextAsync("/proc/cpuinfo", TestContext.CancellationToken));

        await PutOneFileAsync(config, board.Directory);
        Assert.AreEqual("chacha20-poly1305@openssh.com", LastCipher(board), "the first connection knows nothing of the device and keeps ssh's default");
        var facts = SshControlSocket.For(config.Ssh!, config.BaseDirectory).Facts!;
        Assert.AreEqual(aes, facts.CpuAes, "the check learned the device's CPU");

        await ExitMasterAsync(config);
        await using (var device = new SshDevice(config))
        {
            await device.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);
        }

        Assert.AreEqual(aes ? "aes128-gcm@openssh.com" : "chacha20-poly1305@openssh.com", LastCipher(board));
    }

    [TestMethod]
    public async Task A_cipher_list_the_user_chose_is_kept()
    {
        await using var board = await StartBoardAsync();
        var config = board.CreateDeviceConfig("chosen", extraOptions: new Dictionary<string, string> { ["Ciphers"] = "aes256-ctr" });

        await PutOneFileAsync(config, board.Directory);
        await ExitMasterAsync(config);
        SshControlSocket.For(config.Ssh!, config.BaseDirectory).Facts!.RecordCpuAes(true);
        await using (var device = new SshDevice(config))
        {
            await device.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);
        }

        Assert.AreEqual("aes256-ctr", LastCipher(board));
    }

    [TestMethod]
    public async Task A_device_known_to_lack_AES_keeps_chacha20()
    {
        await using var board = await StartBoardAsync();
        var config = board.CreateDeviceConfig("no-aes");
        SshControlSocket.For(config.Ssh!, config.BaseDirectory).Facts!.RecordCpuAes(false);

        await using (var device = new SshDevice(config))
        {
            await device.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);
        }

        Assert.AreEqual("chacha20-poly1305@openssh.com", LastCipher(board));
    }

    private static async Task<SshBoard> StartBoardAsync()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen");
        if (Environment.GetEnvironmentVariable(SshControlSocket.ShareVariable) == "0")
        {
            LabRequirement.Missing("facts are kept next to a shared control socket; DEVICETEST_SSH_SHARE=0 turns sharing off");
        }

        return await SshBoard.StartWithDebugLogAsync();
    }

    private static string? LastCipher(SshBoard board) =>
        board.Log.Split('\n').LastOrDefault(l => l.Contains(CipherLine, StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(CipherLine, StringComparison.Ordinal) + CipherLine.Length)..].Split(' ')[0]
            : null;

    /// <summary>A check-and-put of one file, as a deploy makes it.</summary>
    private async Task PutOneFileAsync(DeviceConfig config, string directory)
    {
        var local = Path.Combine(directory, "payload.txt");
        await File.WriteAllTextAsync(local, "payload\n", TestContext.CancellationToken);
        var target = Path.Combine(directory, "device", "payload.txt");
        await using var device = new SshDevice(config);
        await ((IBatchCheckAndPut)device.Files).CheckAndPutAsync(
            [target],
            (_, _) => Task.FromResult(new BatchPutRequest([new FileUpload(local, target)])),
            null,
            TestContext.CancellationToken);
        Assert.AreEqual("payload\n", await File.ReadAllTextAsync(target, TestContext.CancellationToken));
    }

    /// <summary>Ends the shared master, as ControlPersist does a minute after the last process left.</summary>
    private async Task ExitMasterAsync(DeviceConfig config)
    {
        var socket = SshControlSocket.For(config.Ssh!, config.BaseDirectory).Path;
        using var exit = Process.Start(new ProcessStartInfo("ssh", ["-o", "ControlPath=" + socket, "-O", "exit", config.Ssh!.Host])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        await exit.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        await exit.WaitForExitAsync(TestContext.CancellationToken);
        for (var i = 0; i < 100 && File.Exists(socket); i++)
        {
            await Task.Delay(20, TestContext.CancellationToken);
        }
    }
}
