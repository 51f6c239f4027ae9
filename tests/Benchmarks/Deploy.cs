using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;
using DeviceTest.Hardware.Deployment;

namespace DeviceTest.Benchmarks;

/// <summary>
/// Deploys a tree (default 200 MB in 2,000 files) to the lab's SSH board with DeviceTest's deployer, <c>scp -r</c> and
/// <c>rsync -a</c> (each into an empty directory, each over a new SSH connection), then deploys the unchanged tree
/// again with the deployer and with rsync. The deployer's shared master is closed before each of its runs, so they
/// pay for a connection as rsync does; a last unchanged deploy rides the master the one before left (a second
/// <c>dotnet test</c> within a minute). Then, as a <c>dotnet test</c> run starts: an unchanged deploy and the test
/// host's first command against rsync and a plain <c>ssh</c>. Prints medians of several runs and the ratios.
/// </summary>
internal static class Deploy
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = Option(args, "--files", 2000);
        var megabytes = Option(args, "--mb", 200);
        var runs = Option(args, "--runs", 3);
        await using var board = await SshBoard.StartAsync();
        var work = Directory.CreateTempSubdirectory("dt-bench-deploy-").FullName;

        // The "device" writes to a tmpfs by default (--device-dir DIR to choose): this machine's disk alone spread one
        // tool's times by 2.5x between runs, far more than the tools differ; on a tmpfs the tools' own costs show.
        var deviceRoot = Path.Combine(StringOption(args, "--device-dir", Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath()), "dt-bench-deploy-" + Path.GetRandomFileName());
        Directory.CreateDirectory(deviceRoot);
        try
        {
            var source = Path.Combine(work, "src");
            var artifacts = CreateTree(source, files, megabytes * 1024L * 1024L, Path.Combine(work, "device", "deploy"));
            var ssh = SshCommand(board);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deploy: {files} files, {megabytes} MB to sshd on 127.0.0.1:{board.Port} into {deviceRoot} ({Environment.ProcessorCount} cores), median of {runs}"));

            var scp = new List<TimeSpan>();
            var rsyncFirst = new List<TimeSpan>();
            var rsyncSecond = new List<TimeSpan>();
            var deployFirst = new List<TimeSpan>();
            var deploySecond = new List<TimeSpan>();
            var deployWarm = new List<TimeSpan>();
            var deployThenCommand = new List<TimeSpan>();
            var rsyncThenSsh = new List<TimeSpan>();
            for (var run = 0; run < runs; run++)
            {
                var device = Path.Combine(deviceRoot, "device");
                if (Directory.Exists(device))
                {
                    Directory.Delete(device, recursive: true);
                }

                Directory.CreateDirectory(device);
                var cache = Path.Combine(work, "deploy.cache");
                File.Delete(cache);
                var runArtifacts = artifacts.Select(a => a with { TargetPath = a.TargetPath.Replace(Path.Combine(work, "device", "deploy"), Path.Combine(device, "deploy"), StringComparison.Ordinal) }).ToList();

                // The three first copies write 200 MB each to the same disk: each starts after a sync (so none pays for
                // the one before's dirty pages), and their order turns each round (so none always comes first or last).
                var firsts = new Func<Task>[]
                {
                    async () => scp.Add(await TimeAsync(() => BenchmarkProcess.CheckedAsync("scp", [.. ScpOptions(board), "-q", "-r", source, $"{board.User}@{board.Host}:{device}/scp"]))),
                    async () => rsyncFirst.Add(await TimeAsync(() => BenchmarkProcess.CheckedAsync("rsync", ["-a", "-e", ssh, source + "/", $"{board.User}@{board.Host}:{device}/rsync/"]))),
                    async () =>
                    {
                        await CloseSharedMasterAsync(board);
                        var first = await DeployAsync(board, runArtifacts, cache, $"{device}/state/deploy.manifest");
                        if (first.Summary.FilesSent != files)
                        {
                            throw new InvalidOperationException($"first deploy sent {first.Summary.FilesSent} files, not {files}");
                        }

                        deployFirst.Add(first.Elapsed);
                    },
                };
                for (var i = 0; i < firsts.Length; i++)
                {
                    await BenchmarkProcess.CheckedAsync("sync", []);
                    var cpu = BenchmarkProcess.BusyCpu();
                    await firsts[(run + i) % firsts.Length]();
                    if (Environment.GetEnvironmentVariable("DT_BENCH_VERBOSE") == "1")
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {new[] { "scp", "rsync", "deploy" }[(run + i) % firsts.Length]}: {(BenchmarkProcess.BusyCpu() - cpu).TotalSeconds:F2} s CPU on all cores"));
                    }
                }

                await BenchmarkProcess.CheckedAsync("sync", []);
                rsyncSecond.Add(await TimeAsync(() => BenchmarkProcess.CheckedAsync("rsync", ["-a", "-e", ssh, source + "/", $"{board.User}@{board.Host}:{device}/rsync/"])));
                if (Environment.GetEnvironmentVariable("DT_BENCH_VERBOSE") == "1")
                {
                    var tar = await TimeAsync(() => BenchmarkProcess.CheckedAsync("sh", ["-c", $"tar cf - -C {source} . | {ssh} {board.User}@{board.Host} 'mkdir -p {device}/tar && cd {device}/tar && tar xf -'"]));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    tar | ssh | tar: {tar.TotalSeconds:F2} s"));
                }

                await CloseSharedMasterAsync(board);
                var second = await DeployAsync(board, runArtifacts, cache, $"{device}/state/deploy.manifest");
                var warm = await DeployAsync(board, runArtifacts, cache, $"{device}/state/deploy.manifest");
                if (second.Summary.FilesSent != 0 || warm.Summary.FilesSent != 0)
                {
                    throw new InvalidOperationException($"unchanged deploys sent {second.Summary.FilesSent} and {warm.Summary.FilesSent} files, not 0");
                }

                deploySecond.Add(second.Elapsed);
                deployWarm.Add(warm.Elapsed);

                // What a `dotnet test` run pays before its first test: MSBuild's unchanged deploy, then the test host's
                // first command (another process: here another device object) over the master the deploy left; with
                // rsync as the deploy tool, the test host has to connect again.
                await CloseSharedMasterAsync(board);
                deployThenCommand.Add(await TimeAsync(async () =>
                {
                    await DeployAsync(board, runArtifacts, cache, $"{device}/state/deploy.manifest");
                    await using var testHost = new SshDevice(board.CreateDeviceConfig("bench"));
                    await testHost.RunAsync(DeviceTest.Hardware.CommandRequest.Shell("true"), CancellationToken.None);
                }));
                rsyncThenSsh.Add(await TimeAsync(async () =>
                {
                    await BenchmarkProcess.CheckedAsync("rsync", ["-a", "-e", ssh, source + "/", $"{board.User}@{board.Host}:{device}/rsync/"]);
                    await BenchmarkProcess.CheckedAsync("sh", ["-c", $"{ssh} {board.User}@{board.Host} true"]);
                }));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  run {run + 1}: scp {scp[^1].TotalSeconds:F2} s, rsync {rsyncFirst[^1].TotalSeconds:F2} s / {rsyncSecond[^1].TotalSeconds:F2} s, deploy {deployFirst[^1].TotalSeconds:F2} s / {deploySecond[^1].TotalSeconds:F2} s / master up {deployWarm[^1].TotalSeconds:F2} s (load {BenchmarkProcess.Load()})"));
            }

            var rows = new (string Name, TimeSpan Time)[]
            {
                ("first: DeviceTest deploy", Median(deployFirst)),
                ("first: scp -r", Median(scp)),
                ("first: rsync -a", Median(rsyncFirst)),
                ("unchanged: DeviceTest deploy", Median(deploySecond)),
                ("unchanged: rsync -a", Median(rsyncSecond)),
                ("unchanged: deploy, master up", Median(deployWarm)),
                ("unchanged + 1st test: deploy", Median(deployThenCommand)),
                ("unchanged + 1st test: rsync, ssh", Median(rsyncThenSsh)),
            };
            Console.WriteLine();
            Console.WriteLine($"{"what",-32} {"seconds",8} {"MB/s",8}");
            foreach (var (name, time) in rows)
            {
                var rate = name.StartsWith("first", StringComparison.Ordinal) ? (megabytes / time.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture) : "-";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-32} {time.TotalSeconds,8:F3} {rate,8}"));
            }

            var vsScp = rows[0].Time / rows[1].Time;
            var vsRsync = rows[0].Time / rows[2].Time;
            var unchanged = rows[3].Time / rows[4].Time;
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first deploy / scp -r:        {vsScp:F2}x  (target <= 1.20x) {(vsScp <= 1.2 ? "OK" : "MISSED")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first deploy / rsync:         {vsRsync:F2}x  (target <= 1.20x) {(vsRsync <= 1.2 ? "OK" : "MISSED")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"unchanged deploy / rsync:     {unchanged:F2}x  (target < 1.00x, < 1 s) {(unchanged < 1 && rows[3].Time < TimeSpan.FromSeconds(1) ? "OK" : "MISSED")}"));

            // Each round's own ratio: the two copies ran seconds apart, so a load that comes and goes between rounds
            // (other builds on a shared machine) moves both; the ratio of the medians mixes rounds.
            var beforeTests = rows[6].Time / rows[7].Time;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"unchanged deploy + 1st test / rsync + ssh: {beforeTests:F2}x  (the connection the deploy leaves serves the tests)"));

            var perRound = deployFirst.Zip(rsyncFirst, (d, r) => d / r).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first deploy / rsync by round: median {perRound[perRound.Count / 2]:F2}x, {perRound[0]:F2}x-{perRound[^1]:F2}x"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            Directory.Delete(deviceRoot, recursive: true);
        }
    }

    /// <summary>Ends the deployer's shared ControlMaster (if any), so the next deploy connects anew, as rsync does.</summary>
    private static async Task CloseSharedMasterAsync(SshBoard board)
    {
        var config = board.CreateDeviceConfig("bench");
        using var socket = SshControlSocket.For(config.Ssh!, config.BaseDirectory);
        if (socket.IsShared && File.Exists(socket.Path))
        {
            try
            {
                await BenchmarkProcess.CheckedAsync("ssh", ["-o", "ControlPath=" + socket.Path, "-O", "exit", board.Host]);
            }
            catch (InvalidOperationException)
            {
                // Already gone (only its socket was left).
            }
        }
    }


    private static async Task<(DeploySummary Summary, TimeSpan Elapsed)> DeployAsync(SshBoard board, List<ArtifactSpec> artifacts, string cache, string manifest)
    {
        var stopwatch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        var gcPause = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes();
        await using var device = new SshDevice(board.CreateDeviceConfig("bench"));
        var deployer = new Deployer(device, new QuietLog()) { CacheFile = cache, ManifestPath = manifest };
        var summary = await deployer.DeployAsync(artifacts, CancellationToken.None);
        if (Environment.GetEnvironmentVariable("DT_BENCH_VERBOSE") == "1")
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    the deployer's own process: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU (JIT {(System.Runtime.JitInfo.GetCompilationTime() - jit).TotalSeconds:F2} s, GC pauses {(GC.GetTotalPauseDuration() - gcPause).TotalSeconds:F3} s, {(GC.GetTotalAllocatedBytes() - allocated) / 1048576.0:F0} MB allocated)"));
        }

        return (summary, stopwatch.Elapsed);
    }

    private static List<ArtifactSpec> CreateTree(string root, int files, long bytes, string targetRoot)
    {
        var each = (int)(bytes / files);
        var buffer = new byte[each];
        var artifacts = new List<ArtifactSpec>(files);
        for (var i = 0; i < files; i++)
        {
            var relative = string.Create(CultureInfo.InvariantCulture, $"d{i % 20:D2}/s{i % 7}/f{i:D5}.bin");
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Random.Shared.NextBytes(buffer);
            File.WriteAllBytes(path, buffer);
            artifacts.Add(new ArtifactSpec(path, targetRoot + "/" + relative, null));
        }

        return artifacts;
    }

    private static string[] ScpOptions(SshBoard board)
    {
        var options = new List<string> { "-P", board.Port.ToString(CultureInfo.InvariantCulture), "-i", board.IdentityFile, "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "ControlPath=none" };
        foreach (var (key, value) in board.ClientOptions)
        {
            options.AddRange(["-o", key + "=" + value]);
        }

        return [.. options];
    }

    private static string SshCommand(SshBoard board)
    {
        var command = $"ssh -p {board.Port} -i {board.IdentityFile} -o BatchMode=yes -o IdentitiesOnly=yes -o ControlPath=none";
        foreach (var (key, value) in board.ClientOptions)
        {
            command += $" -o {key}={value}";
        }

        return command;
    }

    private static string StringOption(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        return stopwatch.Elapsed;
    }

    private sealed class QuietLog : IDeployLog
    {
        public void Sent(ArtifactSpec artifact, long bytes)
        {
        }

        public void Detail(string message)
        {
            if (Environment.GetEnvironmentVariable("DT_BENCH_VERBOSE") == "1")
            {
                Console.WriteLine("    " + message);
            }
        }

        public void Warning(string code, string message) => Console.Error.WriteLine($"warning {code}: {message}");
    }
}
