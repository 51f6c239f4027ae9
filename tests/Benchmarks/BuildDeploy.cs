using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Benchmarks;

/// <summary>
/// What a user feels of the deploy in a build: <c>dotnet build -t:Build;DeployToDevice</c> of a small class library
/// whose source changed (so Roslyn compiles it) and whose 2,000 <c>DeviceArtifact</c> files did not, each in a fresh
/// MSBuild (<c>-nodeReuse:false</c>) and over a new SSH connection (the shared master closed before each), with
/// ConnectToDevice off and on (<c>DeviceTestConnectEarly</c>), side by side with the same build without the deploy
/// followed by <c>rsync -a</c> of the same files (its own new connection). Which of the three goes first turns every
/// round, so none always meets the same load.
/// </summary>
internal static class BuildDeploy
{
    private const string Off = "build + deploy, connect early off";
    private const string On = "build + deploy, connect early on";
    private const string Build = "build alone";
    private const string Rsync = "rsync -a after it";

    public static async Task<int> RunAsync(string[] args)
    {
        var files = ColdDeploy.Option(args, "--files", 2000);
        var megabytes = ColdDeploy.Option(args, "--mb", 20);
        var runs = ColdDeploy.Option(args, "--runs", 5);

        // --connect-delay S: every connection (the deploy's and rsync's) waits S seconds first, as a small board's slow
        // key exchange and login, a jump host or a VPN make it (a ProxyCommand that sleeps, then socat).
        var delay = ColdDeploy.Option(args, "--connect-delay", 0);
        var tasks = Path.Combine(ColdDeploy.DefaultTasksDirectory(), "DeviceTest.Tasks.dll");
        if (!File.Exists(tasks))
        {
            Console.Error.WriteLine($"deploy-build: {tasks} does not exist: build src/Tasks -c Release");
            return 2;
        }

        await using var board = await SshBoard.StartAsync();
        var work = Directory.CreateTempSubdirectory("dt-bench-build-").FullName;
        var deviceRoot = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "dt-bench-build-" + Path.GetRandomFileName());
        Directory.CreateDirectory(deviceRoot);
        try
        {
            var source = Path.Combine(work, "src");
            ColdDeploy.CreateTree(source, files, megabytes * 1024L * 1024L);
            var options = new Dictionary<string, string>(board.ClientOptions);
            if (delay > 0 && !OperatingSystem.IsWindows())
            {
                var proxy = Path.Combine(work, "slow-proxy.sh");
                await File.WriteAllTextAsync(proxy, string.Create(CultureInfo.InvariantCulture, $"#!/bin/sh\nsleep {delay}\nexec socat - TCP:$1:$2\n"));
                File.SetUnixFileMode(proxy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                options["ProxyCommand"] = proxy + " %h %p";
            }

            var project = WriteProject(work, board, options, deviceRoot, tasks);
            var socket = ColdDeploy.ControlSocket(work);
            var ssh = $"ssh -p {board.Port} -i {board.IdentityFile} -o BatchMode=yes -o IdentitiesOnly=yes -o ControlPath=none"
                + string.Concat(options.Select(o => $" -o \"{o.Key}={o.Value}\""));
            string[] rsync = ["-a", "-e", ssh, source + "/", $"{board.User}@{board.Host}:{deviceRoot}/rsync/"];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"deploy-build: a class library compiled and {files} unchanged files ({megabytes} MB) to sshd on 127.0.0.1:{board.Port}, fresh `dotnet build -nodeReuse:false` each time, a new SSH connection each time{(delay > 0 ? $" (each waits {delay} s first)" : string.Empty)}; {Environment.ProcessorCount} cores, median of {runs}"));

            // The first deploy and rsync send everything; the rounds then find it all unchanged.
            await BuildAsync(project, work, "Build;DeployToDevice", "false", $"{files} file(s) sent, 0 unchanged");
            await BenchmarkProcess.CheckedAsync("rsync", rsync);

            var rows = new Dictionary<string, List<TimeSpan>>(StringComparer.Ordinal) { [Off] = [], [On] = [], [Build] = [], [Rsync] = [] };
            var unchanged = $" 0 file(s) sent, {files} unchanged";
            var steps = new Func<Task>[]
            {
                async () => rows[Off].Add(await MeasuredAsync(socket, () => BuildAsync(project, work, "Build;DeployToDevice", "false", unchanged))),
                async () => rows[On].Add(await MeasuredAsync(socket, () => BuildAsync(project, work, "Build;DeployToDevice", "true", unchanged))),
                async () =>
                {
                    rows[Build].Add(await MeasuredAsync(socket, () => BuildAsync(project, work, "Build", "false", null)));
                    rows[Rsync].Add(await MeasuredAsync(socket, () => BenchmarkProcess.CheckedAsync("rsync", rsync)));
                },
            };
            for (var run = 0; run < runs; run++)
            {
                for (var turn = 0; turn < steps.Length; turn++)
                {
                    await steps[(run + turn) % steps.Length]();
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  run {run + 1}: off {rows[Off][^1].TotalSeconds:F2} s, on {rows[On][^1].TotalSeconds:F2} s, build {rows[Build][^1].TotalSeconds:F2} s + rsync {rows[Rsync][^1].TotalSeconds:F2} s (load {BenchmarkProcess.Load()})"));
            }

            await ColdDeploy.CloseMasterAsync(socket);
            Report(rows);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            Directory.Delete(deviceRoot, recursive: true);
        }
    }

    private static void Report(Dictionary<string, List<TimeSpan>> rows)
    {
        static double Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2).TotalSeconds;
        var off = Median(rows[Off]);
        var on = Median(rows[On]);
        var build = Median(rows[Build]);
        var rsync = Median(rows[Rsync]);
        var withRsync = Median(rows[Build].Zip(rows[Rsync], (b, r) => b + r).ToList());
        Console.WriteLine();
        foreach (var (name, values) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-36} {Median(values),7:F3} s  ({string.Join(" ", values.Select(v => v.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"build, then rsync -a",-36} {withRsync,7:F3} s"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"build + deploy / build, then rsync: early off {off / withRsync:F2}x, early on {on / withRsync:F2}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"what the deploy adds to the build / rsync's time: early off {(off - build) / rsync:F2}x, early on {(on - build) / rsync:F2}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"connecting early saves {(off - on) * 1000:F0} ms a build (medians)"));
    }

    /// <summary>Closes the shared master (every step starts without one, as rsync does) and times <paramref name="step"/>.</summary>
    private static async Task<TimeSpan> MeasuredAsync(SshControlSocket socket, Func<Task> step)
    {
        await ColdDeploy.CloseMasterAsync(socket);
        await BenchmarkProcess.CheckedAsync("sync", []);
        var stopwatch = Stopwatch.StartNew();
        await step();
        return stopwatch.Elapsed;
    }

    /// <summary>Changes the library's source (so CoreCompile runs) and builds <paramref name="targets"/> in a fresh
    /// MSBuild; checks the deploy's summary when there is one.</summary>
    private static async Task BuildAsync(string project, string work, string targets, string connectEarly, string? summary)
    {
        var stamp = DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(work, "Library.cs"), $"namespace Early;\n\npublic static class Library\n{{\n    public const long Stamp = {stamp};\n}}\n");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "build", project, "-t:" + targets, "-p:DeviceTestConnectEarly=" + connectEarly, "-nologo", "-nodeReuse:false", "-v:m", "-clp:NoSummary" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("DEVICETEST_DEVICES");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (process.ExitCode != 0 || (summary is not null && !output.Contains(summary, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"dotnet build -t:{targets} failed ({process.ExitCode}) or did not say '{summary}':\n{output}");
        }
    }

    /// <summary>A class library as a user's: the package's props and targets (this repository's src/Tasks/build),
    /// the tree as DeviceArtifact items, the board in devices.yml; restored once here.</summary>
    private static string WriteProject(string work, SshBoard board, Dictionary<string, string> sshOptions, string deviceRoot, string tasks)
    {
        var build = Path.Combine(ColdDeploy.RepositoryRoot(), "src", "Tasks", "build");
        var options = string.Join(", ", sshOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        File.WriteAllText(Path.Combine(work, "devices.yml"), $$"""
            devices:
              board:
                ssh: { host: {{board.Host}}, port: {{board.Port}}, user: {{board.User}}, identity: '{{board.IdentityFile}}', options: { {{options}} } }
            """);
        var project = Path.Combine(work, "Early.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <EnableDefaultItems>false</EnableDefaultItems>
                <DeviceTestTasksAssembly>{tasks}</DeviceTestTasksAssembly>
                <DeviceTestDevice>board</DeviceTestDevice>
                <DeviceTestDevicesFile>devices.yml</DeviceTestDevicesFile>
                <DeviceTestDeployManifest>{deviceRoot}/state/deploy.manifest</DeviceTestDeployManifest>
              </PropertyGroup>
              <Import Project="{Path.Combine(build, "DeviceTest.Tasks.props")}" />
              <ItemGroup>
                <Compile Include="Library.cs" />
                <DeviceArtifact Include="src/**/*.bin" TargetPath="{deviceRoot}/deploy/%(RecursiveDir)%(Filename)%(Extension)" />
              </ItemGroup>
              <Import Project="{Path.Combine(build, "DeviceTest.Tasks.targets")}" />
            </Project>
            """);
        return project;
    }
}
