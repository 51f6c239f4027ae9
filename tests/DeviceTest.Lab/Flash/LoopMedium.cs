using System.Diagnostics;
using System.Globalization;

namespace DeviceTest.Lab.Flash;

/// <summary>
/// An SD card stand-in: a backing file in a temp folder, attached as a loop device (<c>losetup</c>, as root) and
/// reached through a stable symlink, <see cref="CardPath"/>, as <c>/dev/disk/by-id/...</c> reaches a card behind an
/// SD-mux. <see cref="MuxHost"/> and <see cref="MuxDut"/> are the shell commands of a mux: "host" attaches the file
/// (the medium appears), "dut" detaches it; both log to <see cref="MuxLog"/>, which tests read. Disposing detaches
/// every loop device of the backing file and deletes the folder.
/// </summary>
public sealed class LoopMedium : IDisposable
{
    private LoopMedium(string directory, long size)
    {
        Directory = directory;
        Size = size;
    }

    public string Directory { get; }

    public long Size { get; }

    /// <summary>The card's content (what the DUT would boot).</summary>
    public string BackingFile => Path.Combine(Directory, "card.bin");

    /// <summary>The medium as the writer sees it: a symlink to the loop device while the mux is on the host side.</summary>
    public string CardPath => Path.Combine(Directory, "card");

    /// <summary>Each mux switch, one line: <c>host</c> or <c>dut</c>.</summary>
    public string MuxLog => Path.Combine(Directory, "mux.log");

    /// <summary>Switches to the host: attaches the backing file and links <see cref="CardPath"/> to it.</summary>
    public string MuxHost =>
        $"echo host >> {MuxLog} && ln -sfn \"$(losetup --show -f {BackingFile})\" {CardPath}";

    /// <summary>Switches to the device: detaches the loop device and removes the link.</summary>
    public string MuxDut =>
        $"echo dut >> {MuxLog} && if [ -L {CardPath} ]; then losetup -d \"$(readlink {CardPath})\"; rm -f {CardPath}; fi";

    /// <summary>The mux switches so far, in order.</summary>
    public IReadOnlyList<string> MuxSwitches => File.Exists(MuxLog) ? File.ReadAllLines(MuxLog) : [];

    /// <summary>A card of <paramref name="size"/> bytes (sparse, zeros). Skips (or fails on CI) without losetup or root.</summary>
    public static LoopMedium Create(long size)
    {
        LabRequirement.Programs("losetup");
        if (Environment.UserName != "root" || !File.Exists("/dev/loop-control"))
        {
            LabRequirement.Missing("lab part missing: loop devices (losetup as root, /dev/loop-control)");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("dt-card-").FullName;
        using (var file = File.Create(Path.Combine(directory, "card.bin")))
        {
            file.SetLength(size);
        }

        return new LoopMedium(directory, size);
    }

    /// <summary>Attaches the card now (a reader that is always there: no mux); returns the loop device.</summary>
    public string Attach()
    {
        Shell(MuxHost.Replace($"echo host >> {MuxLog} && ", string.Empty, StringComparison.Ordinal));
        return File.ResolveLinkTarget(CardPath, returnFinalTarget: false)!.FullName;
    }

    /// <summary>The loop devices the backing file is attached to now.</summary>
    public IReadOnlyList<string> AttachedDevices()
    {
        var output = Shell($"losetup -j {BackingFile} | cut -d: -f1");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The card's first <paramref name="length"/> bytes.</summary>
    public byte[] Read(long length)
    {
        using var file = File.OpenRead(BackingFile);
        var buffer = new byte[length];
        file.ReadExactly(buffer);
        return buffer;
    }

    public void Dispose()
    {
        foreach (var device in AttachedDevices())
        {
            Shell($"losetup -d {device}");
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs a shell command; fails the test when it fails.</summary>
    public static string Shell(string command)
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"`{command}` failed ({process.ExitCode}): {stderr}"));
        }

        return stdout;
    }
}
