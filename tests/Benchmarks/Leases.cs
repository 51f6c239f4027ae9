using System.Diagnostics;
using System.Globalization;
using DeviceTest.Framework.Leasing;
using DeviceTest.Framework.Leasing.Etcd;
using DeviceTest.Lab.Etcd;

namespace DeviceTest.Benchmarks;

/// <summary>
/// Claim-and-release with 8 contenders (each its own store: a run) for 3 devices (each request names all three: a
/// pool) and holding each for 10 ms, for a fixed time per store (--contenders, --hold MS, --seconds): the lock-file store (one machine, polls every 250 ms) and the etcd store on a
/// real 3-member cluster on loopback (a queue, watches). Prints p50/p99 of the wait for a device and claims per
/// second side by side, and one plain etcd write's round trip as the raw floor. One run.
/// </summary>
internal static class Leases
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var contenders = Option(args, "--contenders", 8);
        var hold = TimeSpan.FromMilliseconds(Option(args, "--hold", 10));
        string[] devices = ["bench-a", "bench-b", "bench-c"];
        var folder = Directory.CreateTempSubdirectory("devicetest-leases-bench-");
        Console.WriteLine($"leases: {contenders} contenders, {devices.Length} devices, {seconds} s per store, each claim held {hold.TotalMilliseconds:0} ms");
        try
        {
            var file = await MeasureAsync(() => new LockFileLeaseStore(new LeaseDirectory(folder.FullName)), contenders, devices, hold, seconds);
            await using var cluster = await EtcdCluster.StartAsync();
            var etcd = await MeasureAsync(() => new EtcdLeaseStore(EtcdLeaseOptions.Parse(cluster.Url)), contenders, devices, hold, seconds);
            var raw = await RawPutAsync(cluster.Url);

            Console.WriteLine($"  {"store",-22} {"claims/s",10} {"wait p50",10} {"wait p99",10} {"claims",8}  per contender (fewest-most)");
            foreach (var (name, result) in new[] { ("lock files (polling)", file), ("etcd, 3 members", etcd) })
            {
                Console.WriteLine($"  {name,-22} {result.PerSecond,10:F1} {result.P50,8:F1}ms {result.P99,8:F1}ms {result.Claims,8}  {result.Fewest}-{result.Most}");
            }

            Console.WriteLine($"  raw: one etcd put (HTTP gateway, one client): p50 {raw.P50:F2} ms, p99 {raw.P99:F2} ms");
            Console.WriteLine($"  etcd/lock files: {etcd.PerSecond / Math.Max(file.PerSecond, 0.001):F1}x claims/s, p50 wait {etcd.P50 / Math.Max(file.P50, 0.001):F2}x");
            Console.WriteLine($"  load average: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<Result> MeasureAsync(Func<ILeaseStore> open, int contenders, string[] devices, TimeSpan hold, int seconds)
    {
        var stores = Enumerable.Range(0, contenders).Select(_ => open()).ToList();
        var waits = new List<double>();
        var perContender = new List<int>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(stores.Select(store => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                IDeviceLease lease;
                try
                {
                    lease = await store.AcquireAsync(devices, _ => { }, null, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await Task.Delay(hold, CancellationToken.None);
                await lease.DisposeAsync();
            }

            lock (waits)
            {
                waits.AddRange(mine);
                perContender.Add(mine.Count);
            }
        })));
        var elapsed = clock.Elapsed;
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        waits.Sort();
        return new Result(waits.Count, waits.Count / elapsed.TotalSeconds, Percentile(waits, 0.50), Percentile(waits, 0.99))
        {
            Fewest = perContender.Min(),
            Most = perContender.Max(),
        };
    }

    /// <summary>One etcd write (a put, through etcd's own HTTP gateway on one member): the floor of a claim.</summary>
    private static async Task<Result> RawPutAsync(string url)
    {
        using var http = new HttpClient();
        var member = url["etcd://".Length..].Split(',')[0];
        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var content = new StringContent("{\"key\":\"cmF3\",\"value\":\"MQ==\"}", System.Text.Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri($"http://{member}/v3/kv/put"), content);
            response.EnsureSuccessStatusCode();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        return new Result(times.Count, 0, Percentile(times, 0.50), Percentile(times, 0.99));
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private sealed record Result(int Claims, double PerSecond, double P50, double P99)
    {
        /// <summary>Claims of the contender served least and most: fairness.</summary>
        public int Fewest { get; init; }

        public int Most { get; init; }
    }
}
