using System.Diagnostics;

namespace DeviceTest.Lab.Flash;

/// <summary>
/// Images to flash: the bootable lab disks (build/lab/flash-images.sh: board-v1.img, board-v2.img with its block map
/// and .xz), and small sparse test images made on the spot, compressed with the system's tools and mapped by
/// Debian's bmaptool (the reference).
/// </summary>
public static class FlashImages
{
    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private static string? _buildProblem;
    private static bool _built;

    public static string Directory => Path.Combine(RepositoryRoot.Path, "build", "lab", "out", "flash");

    public static string BoardV1 => Path.Combine(Directory, "board-v1.img");

    public static string BoardV2Xz => Path.Combine(Directory, "board-v2.img.xz");

    /// <summary>Builds the bootable disks (quick when up to date); skips (or fails on CI) when a part is missing.</summary>
    public static async Task RequireBoardImagesAsync(CancellationToken cancellationToken)
    {
        LabRequirement.Programs("syslinux", "mkfs.vfat", "mcopy", "sfdisk", "xz", "bmaptool");
        await BuildLock.WaitAsync(cancellationToken);
        try
        {
            if (!_built)
            {
                var (code, output) = await RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "build", "lab", "flash-images.sh")], cancellationToken);
                _buildProblem = code == 0 ? null : $"build/lab/flash-images.sh failed ({code}): {output}";
                _built = true;
            }
        }
        finally
        {
            BuildLock.Release();
        }

        if (_buildProblem is not null)
        {
            LabRequirement.Missing(_buildProblem);
        }
    }

    /// <summary>
    /// Writes a sparse test image of <paramref name="size"/> bytes into <paramref name="directory"/>: distinct data
    /// at a few places (one of them ending at the image's end, not on a block boundary when the size is not) and
    /// holes between. Returns its path.
    /// </summary>
    public static string MakeSparse(string directory, string name, long size, int seed = 1)
    {
        var path = Path.Combine(directory, name);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(size);
        var random = new Random(seed);
        foreach (var (offset, length) in new[] { (0L, 300_000L), (size / 3, 1_000_000L), (size - 123_457, 123_457L) })
        {
            var data = new byte[length];
            random.NextBytes(data);
            for (var i = 0; i < data.Length; i += 7)
            {
                data[i] = 0; // compressible, as real file systems are
            }

            file.Position = offset;
            file.Write(data);
        }

        return path;
    }

    /// <summary>Runs a program (xz, zstd, bmaptool...) and fails the test when it fails.</summary>
    public static async Task RunToolAsync(string program, params string[] arguments)
    {
        LabRequirement.Programs(program);
        var (code, output) = await RunAsync(program, arguments, CancellationToken.None);
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({code}): {output}");
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
