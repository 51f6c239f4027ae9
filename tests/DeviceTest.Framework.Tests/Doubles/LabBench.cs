using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Lab;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>
/// A folder with a real screen, keyboard and cable made of programs on this machine: ffmpeg's lavfi test pattern as
/// the capture card (320x240), and recording scripts for the key command and the link commands (<see cref="Log"/>).
/// </summary>
public sealed class LabBench
{
    /// <summary>The capture command: one frame of ffmpeg's test pattern.</summary>
    public const string Pattern = "ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc=size=320x240:rate=1 -frames:v 1 -y {output}";

    public LabBench()
    {
        Folder = Directory.CreateTempSubdirectory("devicetest-bench-").FullName;
    }

    public string Folder { get; }

    /// <summary>What the key and link commands did, one line each ("key shift-h", "link down").</summary>
    public string Log => Path.Combine(Folder, "bench.log");

    /// <summary>The lines of <see cref="Log"/> so far.</summary>
    public IReadOnlyList<string> Lines => File.Exists(Log) ? File.ReadAllLines(Log) : [];

    /// <summary>The capabilities, with <paramref name="screenCommand"/> as the capture command (null: no screen).</summary>
    public DeviceCapabilities Capabilities(string? screenCommand = Pattern)
    {
        LabRequirement.Programs("ffmpeg");
        return DeviceCapabilities.Create(
            new DeviceConfig
            {
                Name = "bench",
                Ssh = new SshConfig { Host = "192.0.2.1" },
                Screen = screenCommand is null ? null : new ScreenConfig { Command = screenCommand },
                Keyboard = new KeyboardConfig { Command = $"echo key {{key}} >> {Log}", Delay = TimeSpan.Zero },
                Network = new NetworkConfig { Down = $"echo link down >> {Log}", Up = $"echo link up >> {Log}" },
            },
            machine: null);
    }

    /// <summary>Writes one frame of <paramref name="source"/> (an ffmpeg lavfi source, e.g. testsrc or smptebars) as a reference.</summary>
    public async Task<string> ReferenceAsync(string name, string source = "testsrc", int width = 320, int height = 240)
    {
        await using var capabilities = Capabilities($"ffmpeg -hide_banner -loglevel error -f lavfi -i {source}=size={width}x{height}:rate=1 -frames:v 1 -y {{output}}");
        var path = Path.Combine(Folder, name);
        await File.WriteAllBytesAsync(path, await capabilities.Screen!.CaptureAsync(CancellationToken.None));
        return path;
    }

    /// <summary>Removes the folder and what is in it.</summary>
    public void Delete() => Directory.Delete(Folder, recursive: true);
}
