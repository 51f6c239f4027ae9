using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceTest.Lab;

namespace DeviceTest.Benchmarks;

/// <summary>
/// The native devicetest (NativeAOT) against the JIT build (<c>dotnet devicetest.dll</c>), in one run: file size,
/// start-up (<c>--version</c>, median of N), peak RSS running the smoke sample on the local device (wait4's
/// ru_maxrss through <c>/usr/bin/time</c>), and the agent's RSS idle after start and after one 4-test run.
/// </summary>
internal static class NativeBuild
{
    public static async Task<int> RunAsync(string[] args)
    {
        var native = Option(args, "--binary") ?? RepositoryRoot.Combine("artifacts", "native", "linux-x64", "devicetest");
        var dll = Option(args, "--dll") ?? RepositoryRoot.Combine("src", "Agent", "bin", "Release", "net10.0", "devicetest.dll");
        var runs = int.Parse(Option(args, "--runs") ?? "20", CultureInfo.InvariantCulture);
        if (!File.Exists(native) || !File.Exists(dll))
        {
            Console.Error.WriteLine($"native: need {native} (dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o artifacts/native/linux-x64) and {dll} (dotnet build src/Agent -c Release)");
            return 2;
        }

        var time = File.Exists("/usr/bin/time") ? "/usr/bin/time" : null;
        string[] jit = ["dotnet", dll];
        string[] aot = [native];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"native: {native} vs dotnet {dll}, {Environment.ProcessorCount} cores, load {BenchmarkProcess.Load()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file: {new FileInfo(native).Length / 1e6:F2} MB (goal <= 10 MB) {(new FileInfo(native).Length <= 10_000_000 ? "OK" : "MISSED")}"));

        // Interleaved, so that a burst of load hits both alike.
        List<double> jitStart = [];
        List<double> aotStart = [];
        await RunOnceAsync(jit, ["--version"]);
        await RunOnceAsync(aot, ["--version"]);
        for (var i = 0; i < runs; i++)
        {
            jitStart.Add((await RunOnceAsync(jit, ["--version"])).TotalMilliseconds);
            aotStart.Add((await RunOnceAsync(aot, ["--version"])).TotalMilliseconds);
        }

        var ratio = Median(aotStart) / Median(jitStart);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up (--version): native {Median(aotStart):F1} ms, JIT {Median(jitStart):F1} ms: {ratio:F3}x (goal <= 0.15x) {(ratio <= 0.15 ? "OK" : "MISSED")}"));

        var smoke = RepositoryRoot.Combine("samples", "specs", "smoke.spec.yml");
        if (time is not null)
        {
            var jitPeak = await PeakKilobytesAsync(time, jit, ["run", smoke]);
            var aotPeak = await PeakKilobytesAsync(time, aot, ["run", smoke]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"max RSS, smoke spec: native {aotPeak / 1024.0:F1} MiB ({aotPeak * 1024 / 1e6:F1} MB), JIT {jitPeak / 1024.0:F1} MiB (goal <= 16 MiB) {(aotPeak <= 16 * 1024 ? "OK" : "MISSED")}, {(aotPeak * 1024 <= 16_000_000 ? "also" : "not")} <= 16 MB"));
        }
        else
        {
            Console.WriteLine("max RSS, smoke spec: skipped (no /usr/bin/time: apt-get install time)");
        }

        var (aotIdle, aotAfter) = await AgentResidentAsync(aot);
        var (jitIdle, jitAfter) = await AgentResidentAsync(jit);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"agent RSS idle: native {aotIdle / 1024.0:F1} MiB ({aotIdle * 1024 / 1e6:F1} MB), JIT {jitIdle / 1024.0:F1} MiB (goal <= 12 MiB) {(aotIdle <= 12 * 1024 ? "OK" : "MISSED")}, {(aotIdle * 1024 <= 12_000_000 ? "also" : "not")} <= 12 MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"agent RSS idle after a 4-test run: native {aotAfter / 1024.0:F1} MiB, JIT {jitAfter / 1024.0:F1} MiB"));
        return 0;
    }

    private static async Task<TimeSpan> RunOnceAsync(string[] command, string[] args)
    {
        var stopwatch = Stopwatch.StartNew();
        var (code, stdout, stderr) = await BenchmarkProcess.RunAsync(command[0], [.. command.Skip(1), .. args]);
        if (code != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} {string.Join(' ', args)} exited {code}: {stdout}{stderr}");
        }

        return stopwatch.Elapsed;
    }

    private static async Task<long> PeakKilobytesAsync(string time, string[] command, string[] args)
    {
        var report = Path.GetTempFileName();
        try
        {
            var (code, stdout, stderr) = await BenchmarkProcess.RunAsync(time, ["-f", "%M", "-o", report, .. command, .. args]);
            if (code != 0)
            {
                throw new InvalidOperationException($"{string.Join(' ', command)} {string.Join(' ', args)} exited {code}: {stdout}{stderr}");
            }

            return long.Parse((await File.ReadAllTextAsync(report)).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>
    /// The agent's VmRSS idle (started again after its first start tested the current Target, so nothing ran in this
    /// process yet), then idle after one run of the smoke spec triggered by an install-post callback.
    /// </summary>
    private static async Task<(long Idle, long AfterRun)> AgentResidentAsync(string[] command)
    {
        var root = Directory.CreateTempSubdirectory("dt-bench-agent-").FullName;
        using var workspace = await AgentWorkspace.CreateAsync(root, "lmp-bench-1");
        var (sota, records) = (workspace.Sota, workspace.Records);
        string[] arguments = [.. command.Skip(1), .. workspace.Arguments];
        try
        {
            // The first start tests the current Target; the second has nothing to do until a callback comes.
            using (var first = await StartAgentAsync(command[0], arguments))
            {
                await WaitForCompletionsAsync(records, 1);

                // The run's state goes after its last record: killed before that, the next start would resume the run
                // and the "idle" figure would be a running agent's (it was, now and then: 16.5 MB instead of 11.7).
                await WaitUntilGoneAsync(workspace.RunState);
                first.Kill();
                await first.WaitForExitAsync();
            }

            using var agent = await StartAgentAsync(command[0], arguments);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var idle = Resident(agent.Id);
            if (Environment.GetEnvironmentVariable("DT_BENCH_VERBOSE") == "1")
            {
                PrintMappings(agent.Id);
            }

            // The callback as aktualizr-lite makes it: the script the agent wrote, which carries the callback secret.
            var callback = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, ArgumentList = { Path.Combine(sota, "devicetest-callback.sh") } };
            callback.Environment["MESSAGE"] = "install-post";
            callback.Environment["RESULT"] = "OK";
            callback.Environment["CURRENT_TARGET"] = Path.Combine(sota, "current-target");
            using (var script = Process.Start(callback)!)
            {
                await script.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            }

            await WaitForCompletionsAsync(records, 2);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var after = Resident(agent.Id);
            agent.Kill();
            await agent.WaitForExitAsync();
            return (idle, after);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Starts the agent and waits until it listens.</summary>
    private static async Task<Process> StartAgentAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in arguments)
        {
            start.ArgumentList.Add(word);
        }

        var agent = Process.Start(start)!;
        var listening = new TaskCompletionSource();
        void Line(string? line)
        {
            if (line?.Contains("listening on", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        }

        agent.OutputDataReceived += (_, e) => Line(e.Data);
        agent.ErrorDataReceived += (_, e) => Line(e.Data);
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return agent;
    }

    private static async Task WaitUntilGoneAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (File.Exists(path))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{path} is still there a minute after the run's last record");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until <paramref name="count"/> runs of the 4-test smoke spec completed (a "complete" record per test).</summary>
    private static async Task WaitForCompletionsAsync(string records, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(records) && File.ReadLines(records).Count(l => l.Contains("\"complete\"", StringComparison.Ordinal)) >= 4 * count)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"the agent did not finish run {count} within 2 minutes ({records})");
    }

    /// <summary>Where a process's resident memory is, per mapped file (anonymous memory, stacks, heap), from smaps.</summary>
    private static void PrintMappings(int pid)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var current = "?";
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !line.StartsWith("Rss:", StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                current = fields.Length >= 6 ? Path.GetFileName(fields[5]) + (fields[1].Contains('w', StringComparison.Ordinal) ? " (rw)" : string.Empty) : "[anonymous" + (fields[1].Contains('x', StringComparison.Ordinal) ? ", x]" : "]");
            }
            else if (fields.Length >= 2 && fields[0] == "Rss:")
            {
                sizes[current] = sizes.GetValueOrDefault(current) + long.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        foreach (var (name, kilobytes) in sizes.Where(p => p.Value > 0).OrderByDescending(p => p.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {kilobytes,6} kB  {name}"));
        }
    }

    private static long Resident(int pid) =>
        long.Parse(
            File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))["VmRSS:".Length..]
                .Replace("kB", string.Empty, StringComparison.Ordinal).Trim(),
            CultureInfo.InvariantCulture);

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

}
