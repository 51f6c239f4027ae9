using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DeviceTest.TestAdapter;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.Benchmarks;

/// <summary>
/// The adapter's discovery on a project with 100 spec files and 10,000 tests (issue 4: well under a second of
/// adapter time): the specs and the build's manifest are written to a temp folder, then
/// <see cref="DeviceTestDiscoverer"/> is called in-process with a counting sink, once cold and a few times warm.
/// With <c>--list-tests</c> it also times <c>dotnet test --list-tests</c> on a generated test project (build excluded).
/// One run, milliseconds.
/// </summary>
internal static class Discovery
{
    public static async Task<int> RunAsync(string[] args)
    {
        var specs = 100;
        var testsPerSpec = 100;
        var listTests = args.Contains("--list-tests");
        var root = Directory.CreateTempSubdirectory("devicetest-discovery-bench-").FullName;
        try
        {
            var project = Path.Combine(root, "Bench");
            var source = WriteProject(project, specs, testsPerSpec);
            Console.WriteLine($"discovery: {specs} spec files, {specs * testsPerSpec} tests");

            var (cold, coldCpu, count) = Discover(source);
            Console.WriteLine($"  in-process, first call (JIT, cold files): {cold.TotalMilliseconds,8:F0} ms  ({count} test cases; process CPU {coldCpu.TotalMilliseconds:F0} ms)");
            var runs = Enumerable.Range(0, 5).Select(_ => Discover(source)).ToList();
            var warm = runs.Select(r => r.Elapsed.TotalMilliseconds).Order().ToList();
            var warmCpu = runs.Select(r => r.Cpu.TotalMilliseconds).Order().ToList();
            Console.WriteLine($"  in-process, warm (median of 5):           {warm[2],8:F0} ms  (min {warm[0]:F0}, max {warm[^1]:F0}; process CPU {warmCpu[2]:F0} ms)");
            Console.WriteLine($"  load average: {LoadAverage()} on {Environment.ProcessorCount} cores (wall times need a quiet machine; CPU times less so)");
            if (count != specs * testsPerSpec)
            {
                Console.Error.WriteLine($"discovery: expected {specs * testsPerSpec} test cases, got {count}");
                return 1;
            }

            if (listTests)
            {
                return await ListTestsAsync(project);
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (TimeSpan Elapsed, TimeSpan Cpu, int Count) Discover(string source)
    {
        var sink = new CountingSink();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        new DeviceTestDiscoverer().DiscoverTests([source], new NoSettings(), sink, sink);
        stopwatch.Stop();
        process.Refresh();
        cpu = process.TotalProcessorTime - cpu;
        if (sink.Warnings > 0)
        {
            Console.Error.WriteLine($"discovery: {sink.Warnings} warnings, first: {sink.FirstWarning}");
        }

        return (stopwatch.Elapsed, cpu, sink.Count);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Spec files under <paramref name="project"/> and the manifest the build would write next to the dll.</summary>
    private static string WriteProject(string project, int specs, int testsPerSpec)
    {
        var specDirectory = Directory.CreateDirectory(Path.Combine(project, "specs")).FullName;
        var bin = Directory.CreateDirectory(Path.Combine(project, "bin")).FullName;
        var paths = new List<string>();
        for (var s = 0; s < specs; s++)
        {
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"name: spec{s:D3}\nsequence:\n");
            for (var step = 0; step < 4; step++)
            {
                text.Append("  - tests:\n");
                for (var t = step * testsPerSpec / 4; t < (step + 1) * testsPerSpec / 4; t++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"      - name: test {t:D3}\n        command: [echo, \"{t}\"]\n        timeout: 30s\n");
                }

                if (step == 1)
                {
                    text.Append("  - reboot: { command: reboot, timeout: 5m }\n");
                }
            }

            var name = $"spec{s:D3}.spec.yml";
            File.WriteAllText(Path.Combine(specDirectory, name), text.ToString());
            paths.Add("specs/" + name);
        }

        var manifest = new { version = 1, projectDirectory = project, specs = paths.Select(p => new { path = p }).ToArray() };
        File.WriteAllText(Path.Combine(bin, "Bench.devicetest.json"), JsonSerializer.Serialize(manifest));
        return Path.Combine(bin, "Bench.dll"); // absent: no C# suites to load, only the specs
    }

    /// <summary><c>dotnet test --list-tests --no-build</c> on a real project holding the same specs.</summary>
    private static async Task<int> ListTestsAsync(string project)
    {
        WriteBenchProject(project);
        var (buildCode, buildOutput, _) = await DotnetAsync(project, "build", "-v", "q", "-nologo");
        if (buildCode != 0)
        {
            Console.Error.WriteLine(buildOutput);
            return 1;
        }

        var (code, output, elapsed) = await DotnetAsync(project, "test", "--no-build", "--list-tests");
        var listed = output.Split('\n').Count(line => line.StartsWith("    ", StringComparison.Ordinal));
        Console.WriteLine($"  dotnet test --list-tests --no-build:      {elapsed.TotalMilliseconds,8:F0} ms  ({listed} names listed; whole process: vstest.console + testhost)");
        return code;
    }

    internal static async Task<(int ExitCode, string Output, TimeSpan Elapsed)> DotnetAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        stopwatch.Stop();
        return (process.ExitCode, await stdout + await stderr, stopwatch.Elapsed);
    }

    /// <summary>
    /// Writes <c>Bench.csproj</c> into <paramref name="project"/>: a test project that uses this repository's adapter
    /// as a user's project does (its build props and targets, a project reference), for the benchmarks that run
    /// <c>dotnet test</c>.
    /// </summary>
    internal static void WriteBenchProject(string project)
    {
        var repository = FindRepository();
        File.WriteAllText(Path.Combine(project, "Bench.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{repository}/src/TestAdapter/build/DeviceTest.TestAdapter.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <IsTestProject>true</IsTestProject>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <ProjectReference Include="{repository}/src/TestAdapter/DeviceTest.TestAdapter.csproj" />
              </ItemGroup>
              <Import Project="{repository}/src/TestAdapter/build/DeviceTest.TestAdapter.targets" />
            </Project>
            """);
    }

    /// <summary>
    /// Writes <c>Bench.csproj</c> and a <c>global.json</c> into <paramref name="project"/>: the same test project in
    /// Microsoft.Testing.Platform mode (<c>EnableDeviceTestRunner</c>, docs/mtp.md), so that <c>dotnet test</c> runs
    /// the test app itself instead of vstest.console and a testhost.
    /// </summary>
    internal static void WriteMtpBenchProject(string project)
    {
        var repository = FindRepository();
        var tasks = Path.Combine(AppContext.BaseDirectory, "DeviceTest.Tasks.dll");
        File.WriteAllText(Path.Combine(project, "global.json"), """{ "test": { "runner": "Microsoft.Testing.Platform" } }""");
        File.WriteAllText(Path.Combine(project, "Bench.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{repository}/src/TestAdapter/build/DeviceTest.TestAdapter.props" />
              <Import Project="{repository}/src/Tasks/build/DeviceTest.Tasks.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <EnableDeviceTestRunner>true</EnableDeviceTestRunner>
                <DeviceTestTasksAssembly>{tasks}</DeviceTestTasksAssembly>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{repository}/src/Framework/DeviceTest.Framework.csproj" />
                <ProjectReference Include="{repository}/src/TestAdapter/DeviceTest.TestAdapter.csproj" />
              </ItemGroup>
              <Import Project="{repository}/src/TestAdapter/build/DeviceTest.TestAdapter.targets" />
              <Import Project="{repository}/src/Tasks/build/DeviceTest.Tasks.targets" />
            </Project>
            """);
    }

    internal static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Adapter.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Adapter.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class CountingSink : ITestCaseDiscoverySink, IMessageLogger
    {
        public int Count { get; private set; }

        public int Warnings { get; private set; }

        public string? FirstWarning { get; private set; }

        public void SendTestCase(TestCase discoveredTest) => Count++;

        public void SendMessage(TestMessageLevel testMessageLevel, string message)
        {
            if (testMessageLevel != TestMessageLevel.Informational)
            {
                Warnings++;
                FirstWarning ??= message;
            }
        }
    }

    private sealed class NoSettings : IDiscoveryContext
    {
        public IRunSettings? RunSettings => null;
    }
}
