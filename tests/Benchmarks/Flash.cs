using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Flashing;
using DeviceTest.Hardware.Flashing.Images;
using DeviceTest.Lab.Flash;

namespace DeviceTest.Benchmarks;

/// <summary>
/// Flashes a sparse image (default 1 GiB with 256 MiB of data from this machine's /usr) compressed with xz (multi-block,
/// as Yocto writes it) with its bmaptool block map to a loop device: DeviceTest (with and without verification) against
/// <c>bmaptool copy</c> of the same files to the same disk and against <c>xz -dc | dd bs=4M conv=fsync</c> without a map,
/// in one run, median of several. Also times decompression alone (the system's xz, and SharpCompress, the managed
/// fallback), to show where the time goes.
/// </summary>
internal static class Flash
{
    public static async Task<int> RunAsync(string[] args)
    {
        var imageMb = Option(args, "--mb", 1024);
        var dataMb = Option(args, "--data-mb", 256);
        var runs = Option(args, "--runs", 3);
        var work = Directory.CreateTempSubdirectory("dt-bench-flash-").FullName;
        LoopMedium? card = null;
        try
        {
            var image = Path.Combine(work, "os.img");
            MakeImage(image, imageMb, dataMb);
            await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", Path.Combine(work, "os.img.bmap"), image);
            await FlashImages.RunToolAsync("xz", "-T2", "-3", "--block-size=16MiB", "-k", image);
            var xz = image + ".xz";
            card = LoopMedium.Create((imageMb + 64L) << 20);
            var device = card.Attach();
            var mapped = (await FlashImage.OpenAsync(xz, CancellationToken.None)).BlockMap!.MappedBytes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"flash: {imageMb} MiB image, {mapped >> 20} MiB mapped, xz {new FileInfo(xz).Length >> 20} MiB, to {device} ({Environment.ProcessorCount} cores), median of {runs}"));

            var results = new Dictionary<string, List<double>>();
            var stages = new Dictionary<string, List<double>>();
            for (var run = 0; run < runs; run++)
            {
                Add(results, "decompress only: xz -dc -T0 > /dev/null", await TimeAsync(() => Shell($"xz -dc -T0 {xz} > /dev/null")));
                Add(results, "decompress only: DeviceTest's decoder", await TimeAsync(() => DecodeAsync(xz, managed: false)));
                Add(results, "decompress only: SharpCompress (fallback)", await TimeAsync(() => DecodeAsync(xz, managed: true)));
                Add(results, "bmaptool copy (block map)", await TimeAsync(() => Shell($"bmaptool -q copy {xz} {device}")));
                Add(results, "xz -dc | dd bs=4M conv=fsync (no map)", await TimeAsync(() => Shell($"xz -dc {xz} | dd of={device} bs=4M conv=fsync status=none")));
                Add(results, "DeviceTest, no verify", await TimeAsync(() => FlashAsync(device, xz, verify: false, stages)));
                Add(results, "DeviceTest, verify (default)", await TimeAsync(() => FlashAsync(device, xz, verify: true, stages)));
            }

            foreach (var (name, seconds) in results)
            {
                var median = Median(seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-42} {median,6:F2} s  {imageMb / median,6:F0} MiB/s of image  {(mapped >> 20) / median,5:F0} MiB/s mapped"));
            }

            foreach (var (name, seconds) in stages)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  DeviceTest stage {name,-28} {Median(seconds),6:F2} s"));
            }

            var bmaptool = Median(results["bmaptool copy (block map)"]);
            var dd = Median(results["xz -dc | dd bs=4M conv=fsync (no map)"]);
            var plain = Median(results["DeviceTest, no verify"]);
            var verified = Median(results["DeviceTest, verify (default)"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratios: DeviceTest/bmaptool {plain / bmaptool:F2}x (with verify {verified / bmaptool:F2}x); DeviceTest/xz|dd {plain / dd:F2}x (with verify {verified / dd:F2}x)"));
            return 0;
        }
        finally
        {
            card?.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task FlashAsync(string device, string image, bool verify, Dictionary<string, List<double>> stages)
    {
        await using var station = DeviceFactory.Create(new DeviceConfig { Name = "bench", Flash = new FlashConfig { Disk = device, Settle = TimeSpan.FromMilliseconds(1) } });
        var timing = new StageTiming();
        await station.Flash!.FlashAsync(image, new FlashOptions { Verify = verify }, timing, CancellationToken.None);
        foreach (var (stage, seconds) in timing.Seconds)
        {
            Add(stages, $"{stage}{(verify ? string.Empty : " (no verify)")}", seconds);
        }
    }

    private static async Task DecodeAsync(string path, bool managed)
    {
        var image = await FlashImage.OpenAsync(path, CancellationToken.None);
        await using var stream = DecodedImageStream.Open(image, preferLibrary: managed);
        var buffer = new byte[4 << 20];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }

    /// <summary>A sparse image: data taken from files under /usr, at three places, holes between.</summary>
    private static void MakeImage(string path, int imageMb, int dataMb)
    {
        using var image = new FileStream(path, FileMode.Create, FileAccess.Write);
        image.SetLength((long)imageMb << 20);
        var data = new MemoryStream();
        foreach (var file in Directory.EnumerateFiles("/usr/lib", "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            if (data.Length >= (long)dataMb << 20)
            {
                break;
            }

            try
            {
                if (new FileInfo(file).Length > 16 << 10)
                {
                    data.Write(File.ReadAllBytes(file));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        var bytes = data.GetBuffer().AsSpan(0, (int)Math.Min(data.Length, (long)dataMb << 20));
        var third = bytes.Length / 3;
        long[] offsets = [1L << 20, ((long)imageMb << 20) / 3, ((long)imageMb << 20) - third - (8L << 20)];
        for (var i = 0; i < 3; i++)
        {
            image.Position = offsets[i];
            image.Write(bytes.Slice(i * third, third));
        }
    }

    private static Task Shell(string command) => FlashImages.RunToolAsync("sh", "-c", command);

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static void Add(Dictionary<string, List<double>> results, string name, double seconds)
    {
        if (!results.TryGetValue(name, out var list))
        {
            results[name] = list = [];
        }

        list.Add(seconds);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>How long each stage took, from the first to the last progress report of the stage.</summary>
    private sealed class StageTiming : IProgress<FlashProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Dictionary<FlashStage, (double First, double Last)> _seen = [];

        public IEnumerable<(string Stage, double Seconds)> Seconds =>
            _seen.Where(s => s.Key is FlashStage.Write or FlashStage.Verify).Select(s => (s.Key.ToString().ToLowerInvariant(), s.Value.Last - s.Value.First));

        public void Report(FlashProgress value)
        {
            lock (_seen)
            {
                var now = _clock.Elapsed.TotalSeconds;
                _seen[value.Stage] = _seen.TryGetValue(value.Stage, out var seen) ? (seen.First, now) : (now, now);
            }
        }
    }
}
