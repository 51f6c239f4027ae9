using System.Diagnostics;
using System.Globalization;
using System.Security;
using System.Text;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Tasks.Tests;

/// <summary>
/// A throw-away MSBuild project in a temp directory that imports DeviceTest.Tasks' props and targets from the source
/// tree with the freshly built task dll (this test project's output), run as <c>dotnet msbuild</c> processes.
/// </summary>
internal sealed class TempProject : IDisposable
{
    private readonly List<string> _items = [];

    public TempProject()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("dt-tasks-").FullName;
        DeviceRoot = Path.Combine(Directory, "device");
        System.IO.Directory.CreateDirectory(DeviceRoot);
    }

    /// <summary>The project's directory.</summary>
    public string Directory { get; }

    /// <summary>A directory for target paths on the local device (and a place the SSH board, this host, can write to).</summary>
    public string DeviceRoot { get; }

    public string ProjectFile => Path.Combine(Directory, Compiles ? "Early.csproj" : "deploy.proj");

    /// <summary>True: an SDK class library with one source file (its build runs CoreCompile); false: targets only.</summary>
    public bool Compiles { get; set; }

    /// <summary>Extra project text inside the project (properties, targets).</summary>
    public string Extra { get; set; } = string.Empty;

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Adapter.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Adapter.sln) above " + AppContext.BaseDirectory);
        }
    }

    public static string TasksAssembly => Path.Combine(AppContext.BaseDirectory, "DeviceTest.Tasks.dll");

    /// <summary>Writes a local file (relative to the project) with <paramref name="content"/>.</summary>
    public string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void AddArtifact(string include, string? targetPath, string? mode = null)
    {
        var builder = new StringBuilder("    <DeviceArtifact Include=\"").Append(SecurityElement.Escape(include)).Append('"');
        if (targetPath is not null)
        {
            builder.Append(" TargetPath=\"").Append(SecurityElement.Escape(targetPath)).Append('"');
        }

        if (mode is not null)
        {
            builder.Append(" Mode=\"").Append(mode).Append('"');
        }

        _items.Add(builder.Append(" />").ToString());
    }

    public void Save()
    {
        var build = Path.Combine(RepositoryRoot, "src", "Tasks", "build");
        var sdk = Compiles ? " Sdk=\"Microsoft.NET.Sdk\"" : string.Empty;
        var properties = Compiles
            ? "<TargetFramework>net10.0</TargetFramework><EnableDefaultItems>false</EnableDefaultItems>"
            : "<BaseIntermediateOutputPath>obj/</BaseIntermediateOutputPath>";
        if (Compiles)
        {
            WriteFile("Library.cs", "namespace Early;\n\npublic static class Library\n{\n    public static int Answer => 42;\n}\n");
        }

        var text = $"""
            <Project{sdk}>
              <PropertyGroup>
                <DeviceTestTasksAssembly>{TasksAssembly}</DeviceTestTasksAssembly>
                {properties}
              </PropertyGroup>
              <Import Project="{Path.Combine(build, "DeviceTest.Tasks.props")}" />
              <ItemGroup>
            {(Compiles ? "    <Compile Include=\"Library.cs\" />\n" : string.Empty)}{string.Join("\n", _items)}
              </ItemGroup>
            {Extra}
              <Import Project="{Path.Combine(build, "DeviceTest.Tasks.targets")}" />
            </Project>
            """;
        File.WriteAllText(ProjectFile, text);
    }

    /// <summary>Runs <c>dotnet msbuild</c> on the project with <paramref name="arguments"/> and waits for it.</summary>
    public async Task<MSBuildRun> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var output = new StringBuilder();
        var pump = PumpAsync(process, output, null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        await pump;
        return new MSBuildRun(process.ExitCode, output.ToString());
    }

    /// <summary>Starts <c>dotnet msbuild</c> on the project with <paramref name="arguments"/>, SIGINT at its default.</summary>
    public Process Start(IEnumerable<string> arguments)
    {
        Save();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var argument in (string[])["msbuild", ProjectFile, "-nologo", "-nodeReuse:false", "-v:n", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("DEVICETEST_DEVICES");

        // Tests cancel the build with SIGINT, as Ctrl+C does: it must not inherit an ignored SIGINT from the test run.
        Interruptible.ResetSigint(start);
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Reads both output streams into <paramref name="output"/> until the process closes them.</summary>
    public static Task PumpAsync(Process process, StringBuilder output, Action<string>? onLine)
    {
        async Task ReadAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }

                onLine?.Invoke(line);
            }
        }

        return Task.WhenAll(ReadAsync(process.StandardOutput), ReadAsync(process.StandardError));
    }

    /// <summary>Writes a devices.yml next to the project.</summary>
    public string WriteDevicesFile(string yaml) => WriteFile("devices.yml", yaml);

    /// <summary>devices.yml with the lab's SSH board as 'board', logging in with <paramref name="identity"/> (default: the board's key).</summary>
    public string WriteBoardDevicesFile(SshBoard board, string? identity = null)
    {
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        return WriteDevicesFile($"""
            devices:
              board:
                tags: [lab]
                ssh: {"{"} host: {board.Host}, port: {board.Port}, user: {board.User}, identity: '{identity ?? board.IdentityFile}', options: {"{"} {options} {"}"} {"}"}
            """);
    }

    public static string Mode(string path) => OperatingSystem.IsWindows() ? "644" :
        Convert.ToString((int)File.GetUnixFileMode(path) & 0xFFF, 8).PadLeft(3, '0').ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
