using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Benchmarks;

/// <summary>
/// The deploy as <c>dotnet build</c>/<c>dotnet test</c> runs it: the DeployToDevice MSBuild task in a fresh
/// <c>dotnet msbuild -nodeReuse:false</c> process each time (so it pays JIT for the task's code and the framework code it
/// uses, as a user's first build does), against the same project built without the deploy (MSBuild's own cost) and
/// <c>rsync -a</c>. First deploy and unchanged deploy (each over a new SSH connection, as rsync's), and an unchanged
/// deploy over the master the one before left up. Probe targets around the task print its JIT time
/// (<c>System.Runtime.JitInfo</c>, through MSBuild property functions), the MSBuild process's CPU time during it (not
/// ssh's) and its own wall time. <c>--tasks DIR:DIR</c> runs several builds of the task dlls (IL, ReadyToRun) in turn
/// in every round; <c>DT_BENCH_JIT_LIST=DIR</c> lists the methods each MSBuild process compiled.
/// </summary>
internal static class ColdDeploy
{
    private const string ProbePrefix = "DTCOLD ";
    private static int s_processes;

    public static async Task<int> RunAsync(string[] args)
    {
        var files = Option(args, "--files", 2000);
        var megabytes = Option(args, "--mb", 200);
        var runs = Option(args, "--runs", 3);
        // --tasks DIR[:DIR...]: each folder's task dlls (e.g. IL-only and ReadyToRun builds) run in every round, in turn.
        var variants = StringOption(args, "--tasks", DefaultTasksDirectory()).Split(Path.PathSeparator).Select(d => Path.Combine(Path.GetFullPath(d), "DeviceTest.Tasks.dll")).ToList();
        if (variants.FirstOrDefault(v => !File.Exists(v)) is { } missing)
        {
            Console.Error.WriteLine($"deploy-cold: {missing} does not exist: build src/Tasks -c Release, or give --tasks DIR (e.g. an unpacked package's tasks/net10.0)");
            return 2;
        }

        await using var board = await SshBoard.StartAsync();
        var work = Directory.CreateTempSubdirectory("dt-bench-cold-").FullName;
        var deviceRoot = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "dt-bench-cold-" + Path.GetRandomFileName());
        Directory.CreateDirectory(deviceRoot);
        try
        {
            var source = Path.Combine(work, "src");
            CreateTree(source, files, megabytes * 1024L * 1024L);
            var project = WriteProject(work, board, deviceRoot);
            var ssh = $"ssh -p {board.Port} -i {board.IdentityFile} -o BatchMode=yes -o IdentitiesOnly=yes -o ControlPath=none"
                + string.Concat(board.ClientOptions.Select(o => $" -o {o.Key}={o.Value}"));
            var socket = ControlSocket(work);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"deploy-cold: {files} files, {megabytes} MB to sshd on 127.0.0.1:{board.Port}, DeployToDevice in a fresh `dotnet msbuild -nodeReuse:false` each time; {Environment.ProcessorCount} cores, median of {runs}"));
            foreach (var (variant, index) in variants.Select((v, i) => (v, i)))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  tasks {index + 1}: {variant} ({TasksKind(variant)}, {AssemblyBytes(variant) / 1024} KiB of dlls)"));
            }

            var rows = variants.Select(_ => new Dictionary<string, List<Measure>>(StringComparer.Ordinal)).ToList();
            for (var run = 0; run < runs; run++)
            {
                // Each round runs every variant; which goes first turns, so none always meets the same load.
                for (var turn = 0; turn < variants.Count; turn++)
                {
                    var index = (run + turn) % variants.Count;
                    await RoundAsync(project, variants[index], rows[index], Path.Combine(deviceRoot, "device"), source, files, ssh, board, socket);
                    var r = rows[index];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  run {run + 1}, tasks {index + 1}: no deploy {r["build, no deploy"][^1].Wall.TotalSeconds:F2} s; first {r["first: build + deploy"][^1]} vs rsync {r["first: rsync -a"][^1].Wall.TotalSeconds:F2} s; unchanged {r["unchanged: build + deploy"][^1]} vs rsync {r["unchanged: rsync -a"][^1].Wall.TotalSeconds:F2} s; master up {r["unchanged, master up"][^1]} (load {BenchmarkProcess.Load()})"));
                }
            }

            await CloseMasterAsync(socket);
            for (var index = 0; index < variants.Count; index++)
            {
                Console.WriteLine();
                Console.WriteLine($"tasks {index + 1}: {variants[index]}");
                Report(rows[index]);
            }

            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            Directory.Delete(deviceRoot, recursive: true);
        }
    }

    /// <summary>No-deploy build, first deploy and rsync into an empty device, then the unchanged deploys and rsync.</summary>
    private static async Task RoundAsync(string project, string tasksAssembly, Dictionary<string, List<Measure>> rows, string device, string source, int files, string ssh, SshBoard board, SshControlSocket socket)
    {
        void Add(string name, Measure measure)
        {
            if (!rows.TryGetValue(name, out var list))
            {
                rows[name] = list = [];
            }

            list.Add(measure);
        }

        if (Directory.Exists(device))
        {
            Directory.Delete(device, recursive: true);
        }

        Directory.CreateDirectory(device);
        var obj = Path.Combine(Path.GetDirectoryName(project)!, "obj");
        if (Directory.Exists(obj))
        {
            Directory.Delete(obj, recursive: true);
        }

        var rsync = new[] { "-a", "-e", ssh, source + "/", $"{board.User}@{board.Host}:{device}/rsync/" };
        await BenchmarkProcess.CheckedAsync("sync", []);
        Add("build, no deploy", await MSBuildAsync(project, tasksAssembly, "ColdNoDeploy", null));
        await CloseMasterAsync(socket);
        await BenchmarkProcess.CheckedAsync("sync", []);
        Add("first: build + deploy", await MSBuildAsync(project, tasksAssembly, "DeployToDevice", $"{files} file(s) sent, 0 unchanged"));
        await BenchmarkProcess.CheckedAsync("sync", []);
        Add("first: rsync -a", await TimedAsync("rsync", rsync));
        await CloseMasterAsync(socket);
        Add("unchanged: build + deploy", await MSBuildAsync(project, tasksAssembly, "DeployToDevice", $" 0 file(s) sent, {files} unchanged"));
        Add("unchanged: rsync -a", await TimedAsync("rsync", rsync));
        Add("unchanged, master up", await MSBuildAsync(project, tasksAssembly, "DeployToDevice", $" 0 file(s) sent, {files} unchanged"));
    }

    private static void Report(Dictionary<string, List<Measure>> rows)
    {
        var medians = rows.ToDictionary(r => r.Key, r => Measure.Median(r.Value), StringComparer.Ordinal);
        var baseline = medians["build, no deploy"];
        Console.WriteLine();
        Console.WriteLine($"{"what",-28} {"process s",10} {"- no deploy",12} {"task s",8} {"task CPU s",11} {"task JIT s",11} {"JIT s",7} {"methods",8}");
        foreach (var (name, m) in medians)
        {
            var isBuild = m.Jit is not null;
            var extra = isBuild && name != "build, no deploy" ? (m.Wall - baseline.Wall).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-28} {m.Wall.TotalSeconds,10:F3} {extra,12} {Seconds(m.Task),8} {Seconds(m.TaskCpu),11} {Seconds(m.TaskJit),11} {Seconds(m.Jit),7} {(isBuild ? m.Methods.ToString(CultureInfo.InvariantCulture) : "-"),8}"));
        }

        Console.WriteLine();
        foreach (var kind in new[] { "first", "unchanged" })
        {
            var deploy = medians[kind + ": build + deploy"];
            var rsync = medians[kind + ": rsync -a"].Wall;
            var added = (deploy.Wall - baseline.Wall) / rsync;
            var task = deploy.Task!.Value / rsync;
            var jitShare = deploy.TaskJit!.Value / deploy.Task!.Value;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind,-9} deploy / rsync: the task {task:F2}x, what it adds to the build {added:F2}x (whole process {deploy.Wall / rsync:F2}x); JIT is {jitShare:P0} of the task's time"));
        }
    }

    private static string Seconds(TimeSpan? value) => value is { } v ? v.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) : "-";

    /// <summary>Runs one target of the project in a fresh MSBuild process, checks the deploy's summary line
    /// (<paramref name="summary"/>: what it sent and skipped) and reads the probes' lines.</summary>
    private static async Task<Measure> MSBuildAsync(string project, string tasksAssembly, string target, string? summary)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "msbuild", project, "-t:" + target, "-p:DeviceTestTasksAssembly=" + tasksAssembly, "-nologo", "-nodeReuse:false", "-v:m", "-clp:NoSummary" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        // The probes call System.Runtime.JitInfo, which MSBuild's property functions allow only with this set.
        start.Environment["MSBUILDENABLEALLPROPERTYFUNCTIONS"] = "1";
        start.Environment.Remove("DEVICETEST_DEVICES");

        // DT_BENCH_JIT_LIST=DIR: the runtime lists every method it compiles (with its tier) in DIR, one file a process.
        if (Environment.GetEnvironmentVariable("DT_BENCH_JIT_LIST") is { Length: > 0 } list)
        {
            Directory.CreateDirectory(list);
            start.Environment["DOTNET_JitDisasmSummary"] = "1";
            start.Environment["DOTNET_JitStdOutFile"] = Path.Combine(list, $"{target}-{Interlocked.Increment(ref s_processes)}.txt");
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var wall = stopwatch.Elapsed;
        var output = await stdout + await stderr;
        if (process.ExitCode != 0 || (summary is not null && !output.Contains(summary, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"dotnet msbuild -t:{target} failed ({process.ExitCode}) or did not say '{summary}':\n{output}");
        }

        var probes = output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(ProbePrefix, StringComparison.Ordinal))
            .Select(l => l[ProbePrefix.Length..].Split(' '))
            .ToDictionary(p => p[0], p => (Jit: double.Parse(p[1], CultureInfo.InvariantCulture), Ticks: long.Parse(p[2], CultureInfo.InvariantCulture), Methods: long.Parse(p[3], CultureInfo.InvariantCulture), Cpu: double.Parse(p[4], CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        var end = probes["end"];
        if (!probes.TryGetValue("before", out var before))
        {
            return new Measure(wall, TimeSpan.FromMilliseconds(end.Jit), end.Methods, null, null, null);
        }

        return new Measure(wall, TimeSpan.FromMilliseconds(end.Jit), end.Methods,
            TimeSpan.FromTicks(end.Ticks - before.Ticks), TimeSpan.FromMilliseconds(end.Jit - before.Jit), TimeSpan.FromMilliseconds(end.Cpu - before.Cpu));
    }

    private static async Task<Measure> TimedAsync(string program, string[] arguments)
    {
        var stopwatch = Stopwatch.StartNew();
        await BenchmarkProcess.CheckedAsync(program, arguments);
        return new Measure(stopwatch.Elapsed, null, 0, null, null, null);
    }

    /// <summary>
    /// A project as a user's: the package's props and targets (from this repository's src/Tasks/build), the tree as
    /// DeviceArtifact items, the board in devices.yml; probe targets print JIT time, ticks and JIT'ed methods.
    /// </summary>
    private static string WriteProject(string work, SshBoard board, string deviceRoot)
    {
        var build = Path.Combine(RepositoryRoot(), "src", "Tasks", "build");
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        File.WriteAllText(Path.Combine(work, "devices.yml"), $$"""
            devices:
              board:
                ssh: { host: {{board.Host}}, port: {{board.Port}}, user: {{board.User}}, identity: '{{board.IdentityFile}}', options: { {{options}} } }
            """);
        const string Probe = "$([System.Runtime.JitInfo]::GetCompilationTime(false).TotalMilliseconds) $([System.DateTime]::UtcNow.Ticks) $([System.Runtime.JitInfo]::GetCompiledMethodCount(false)) $([System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds)";
        var project = Path.Combine(work, "Cold.proj");
        File.WriteAllText(project, $"""
            <Project>
              <PropertyGroup>
                <BaseIntermediateOutputPath>obj/</BaseIntermediateOutputPath>
                <DeviceTestDevice>board</DeviceTestDevice>
                <DeviceTestDevicesFile>devices.yml</DeviceTestDevicesFile>
                <DeviceTestDeployManifest>{deviceRoot}/device/state/deploy.manifest</DeviceTestDeployManifest>
              </PropertyGroup>
              <Import Project="{Path.Combine(build, "DeviceTest.Tasks.props")}" />
              <ItemGroup>
                <DeviceArtifact Include="src/**/*.bin" TargetPath="{deviceRoot}/device/deploy/%(RecursiveDir)%(Filename)%(Extension)" />
              </ItemGroup>
              <Import Project="{Path.Combine(build, "DeviceTest.Tasks.targets")}" />
              <Target Name="ColdNoDeploy" />
              <Target Name="_ColdProbeBefore" BeforeTargets="DeployToDevice">
                <Message Importance="high" Text="{ProbePrefix}before {Probe}" />
              </Target>
              <Target Name="_ColdProbeEnd" AfterTargets="DeployToDevice;ColdNoDeploy">
                <Message Importance="high" Text="{ProbePrefix}end {Probe}" />
              </Target>
            </Project>
            """);
        return project;
    }

    /// <summary>The shared ControlMaster socket the task's deploys use for the board in the project's devices.yml.</summary>
    internal static SshControlSocket ControlSocket(string work)
    {
        var loaded = DeviceFileLoader.Load(Path.Combine(work, "devices.yml"));
        var config = loaded.Find("board") ?? throw new InvalidOperationException("devices.yml: " + string.Join("; ", loaded.Diagnostics));
        return SshControlSocket.For(config.Ssh!, config.BaseDirectory);
    }

    /// <summary>Ends the shared master (if up), so the next deploy connects anew, as rsync does.</summary>
    internal static async Task CloseMasterAsync(SshControlSocket socket)
    {
        if (socket.IsShared && File.Exists(socket.Path))
        {
            // A failure means it was already gone (only its socket was left).
            await BenchmarkProcess.RunAsync("ssh", ["-o", "ControlPath=" + socket.Path, "-O", "exit", "127.0.0.1"]);
        }
    }

    internal static void CreateTree(string root, int files, long bytes)
    {
        var buffer = new byte[(int)(bytes / files)];
        for (var i = 0; i < files; i++)
        {
            var path = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"d{i % 20:D2}/s{i % 7}/f{i:D5}.bin"));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Random.Shared.NextBytes(buffer);
            File.WriteAllBytes(path, buffer);
        }
    }

    /// <summary>"ReadyToRun" when the task dll carries precompiled code (a ManagedNativeHeader), else "IL only".</summary>
    private static string TasksKind(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0 ? "ReadyToRun" : "IL only";
    }

    private static long AssemblyBytes(string tasksAssembly) =>
        new DirectoryInfo(Path.GetDirectoryName(tasksAssembly)!).EnumerateFiles("*.dll").Sum(f => f.Length);

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Adapter.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository (Adapter.sln) is not above " + AppContext.BaseDirectory);
    }

    internal static string DefaultTasksDirectory() => Path.Combine(RepositoryRoot(), "src", "Tasks", "bin", "Release", "net10.0");

    internal static string StringOption(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    internal static int Option(string[] args, string name, int fallback) =>
        int.Parse(StringOption(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>One process: wall time; for MSBuild, its JIT time and methods, and the task's own time and JIT.</summary>
    private sealed record Measure(TimeSpan Wall, TimeSpan? Jit, long Methods, TimeSpan? Task, TimeSpan? TaskJit, TimeSpan? TaskCpu)
    {
        public static Measure Median(List<Measure> values)
        {
            TimeSpan? Of(Func<Measure, TimeSpan?> pick) => values.Any(v => pick(v) is null) ? null : values.Select(v => pick(v)!.Value).Order().ElementAt(values.Count / 2);
            return new Measure(Of(v => v.Wall)!.Value, Of(v => v.Jit), values.Select(v => v.Methods).Order().ElementAt(values.Count / 2), Of(v => v.Task), Of(v => v.TaskJit), Of(v => v.TaskCpu));
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Wall.TotalSeconds:F2} s (task {Task?.TotalSeconds:F2} s, task CPU {TaskCpu?.TotalSeconds:F2} s, task JIT {TaskJit?.TotalSeconds:F2} s, JIT {Jit?.TotalSeconds:F2} s)");
    }
}
