using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace DeviceTest.TestAdapter.Tests.Fakes;

/// <summary>
/// A throw-away DeviceTest project in Microsoft.Testing.Platform mode (<c>EnableDeviceTestRunner</c>), in a temp
/// directory whose global.json selects the MTP runner for <c>dotnet test</c>. It references src/Framework and
/// src/TestAdapter as projects and imports the adapter's and the tasks' build files from the source tree, with the
/// task dll built from src/Tasks. A spec with a passing and a failing test, a C# suite, and a data consumer that writes
/// each finished test node (as MTP clients see it) to the file named by MTP_NODE_LOG.
/// </summary>
internal sealed class MtpTestProject : IDisposable
{
    public const string Name = "MtpApp";

    public const string Spec = """
        name: smoke
        sequence:
          - tests:
              - name: passes
                command: echo hello from the spec
              - name: fails
                command: echo "something broke" >&2; exit 2
        """;

    public MtpTestProject()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("devicetest-mtp-").FullName;
    }

    public string Directory { get; }

    public string SpecPath => Path.Combine(Directory, "smoke.spec.yml");

    public string SuitePath => Path.Combine(Directory, "ShellSuite.cs");

    /// <summary>The apphost the build writes.</summary>
    public string AppHost => Path.Combine(Directory, "bin", "Debug", "net10.0", OperatingSystem.IsWindows() ? Name + ".exe" : Name);

    public static string TasksAssembly => Path.Combine(Dotnet.RepositoryRoot, "src", "Tasks", "bin", "Debug", "net10.0", "DeviceTest.Tasks.dll");

    public void Write()
    {
        var root = Dotnet.RepositoryRoot;
        var adapterBuild = Path.Combine(root, "src", "TestAdapter", "build");
        var tasksBuild = Path.Combine(root, "src", "Tasks", "build");
        File.WriteAllText(Path.Combine(Directory, Name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Path.Combine(adapterBuild, "DeviceTest.TestAdapter.props")}" />
              <Import Project="{Path.Combine(tasksBuild, "DeviceTest.Tasks.props")}" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <EnableDeviceTestRunner>true</EnableDeviceTestRunner>
                <DeviceTestTasksAssembly>{TasksAssembly}</DeviceTestTasksAssembly>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(root, "src", "Framework", "DeviceTest.Framework.csproj")}" />
                <ProjectReference Include="{Path.Combine(root, "src", "TestAdapter", "DeviceTest.TestAdapter.csproj")}" />
                <TestingPlatformBuilderHook Include="0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9">
                  <DisplayName>NodeLog</DisplayName>
                  <TypeFullName>MtpApp.NodeLogHook</TypeFullName>
                </TestingPlatformBuilderHook>
              </ItemGroup>
              <Import Project="{Path.Combine(adapterBuild, "DeviceTest.TestAdapter.targets")}" />
              <Import Project="{Path.Combine(tasksBuild, "DeviceTest.Tasks.targets")}" />
            </Project>
            """);
        File.WriteAllText(SpecPath, Spec + "\n");
        File.WriteAllText(SuitePath, """
            using DeviceTest.Framework.Suites;
            using DeviceTest.Hardware;

            namespace MtpApp;

            [DeviceSuite]
            public sealed class ShellSuite(IDevice device)
            {
                [DeviceTest]
                public async Task Shell_answers(CancellationToken ct)
                {
                    var result = await device.RunAsync("echo suite", ct);
                    if (!result.Succeeded)
                    {
                        throw new InvalidOperationException("echo failed");
                    }

                    if (Environment.GetEnvironmentVariable("MTP_DEVICE_LOG") is { Length: > 0 } log)
                    {
                        File.AppendAllText(log, device.Name + "\n");
                    }
                }
            }
            """);
        File.WriteAllText(Path.Combine(Directory, "NodeLog.cs"), """
            using Microsoft.Testing.Platform.Builder;
            using Microsoft.Testing.Platform.Extensions;
            using Microsoft.Testing.Platform.Extensions.Messages;
            using Microsoft.Testing.Platform.Extensions.TestHost;

            namespace MtpApp;

            public static class NodeLogHook
            {
                public static void AddExtensions(ITestApplicationBuilder builder, string[] args)
                {
                    if (Environment.GetEnvironmentVariable("MTP_NODE_LOG") is { Length: > 0 } path)
                    {
                        builder.TestHost.AddDataConsumer(_ => new NodeLog(path));
                    }
                }
            }

            internal sealed class NodeLog(string path) : IDataConsumer
            {
                private readonly Lock _gate = new();

                public Type[] DataTypesConsumed => [typeof(TestNodeUpdateMessage)];

                public string Uid => "MtpApp.NodeLog";

                public string Version => "1.0";

                public string DisplayName => "NodeLog";

                public string Description => "Writes finished test nodes to a file.";

                public Task<bool> IsEnabledAsync() => Task.FromResult(true);

                public Task ConsumeAsync(IDataProducer dataProducer, IData value, CancellationToken cancellationToken)
                {
                    var node = ((TestNodeUpdateMessage)value).TestNode;
                    var state = node.Properties.SingleOrDefault<TestNodeStateProperty>();
                    if (state is null or InProgressTestNodeStateProperty or DiscoveredTestNodeStateProperty)
                    {
                        return Task.CompletedTask;
                    }

                    var location = node.Properties.SingleOrDefault<TestFileLocationProperty>();
                    string Clean(string? text) => (text ?? string.Empty).Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
                    var message = state switch
                    {
                        FailedTestNodeStateProperty failed => failed.Exception?.Message ?? failed.Explanation,
                        _ => state.Explanation,
                    };
                    var line = string.Join('\t', Clean(node.DisplayName), state.GetType().Name, Clean(message),
                        Clean(location?.FilePath), location?.LineSpan.Start.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                    lock (_gate)
                    {
                        File.AppendAllText(path, line + "\n");
                    }

                    return Task.CompletedTask;
                }
            }
            """);

        // Same SDK as the repository, and MTP mode for dotnet test.
        var global = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "global.json")))!.AsObject();
        global["test"] = new JsonObject { ["runner"] = "Microsoft.Testing.Platform" };
        File.WriteAllText(Path.Combine(Directory, "global.json"), global.ToJsonString());
    }

    public string WriteDevicesFile(string yaml)
    {
        var path = Path.Combine(Directory, "devices.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Runs <paramref name="fileName"/> in the project's directory and waits for it.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["TESTINGPLATFORM_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("DEVICETEST_DEVICES");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var gate = new Lock();
        async Task PumpAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (gate)
                {
                    output.AppendLine(line);
                }
            }
        }

        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 10 minutes:\n{output}");
        }

        await pumps;
        return (process.ExitCode, output.ToString());
    }

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
