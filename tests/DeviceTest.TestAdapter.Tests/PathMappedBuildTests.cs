using System.Diagnostics;
using System.Reflection.Metadata;
using System.Text.Json;
using DeviceTest.Lab;
using DeviceTest.TestAdapter.Tests.Fakes;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// A C# suite built the way CI builds it (<c>-p:ContinuousIntegrationBuild=true</c>, or an explicit <c>-p:PathMap</c>):
/// its PDB names <c>/_/...</c> (or the mapped) paths, and discovery still links each test to the real file and line,
/// so Test Explorer opens the method and JUnit/TRX name files that exist. Each test builds a small project in a temp
/// git repository (SourceLink maps the repository root to <c>/_/</c>) against the Framework dll beside these tests.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PathMappedBuildTests
{
    private const string SuiteSource = """
        using DeviceTest.Framework.Suites;

        namespace Mapped;

        [DeviceSuite]
        public sealed class NetSuite
        {
            [DeviceTest]
            public Task Answers_ping(CancellationToken ct) => Task.CompletedTask;

            [DeviceTest]
            public Task Has_an_address(CancellationToken ct) => Task.CompletedTask;
        }
        """;

    private string _root = string.Empty;

    [TestInitialize]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("devicetest-pathmap-e2e-").FullName;

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public async Task A_continuous_integration_build_links_tests_to_the_real_files_and_lines()
    {
        LabRequirement.Programs("git");
        var repo = Path.Combine(_root, "repo");
        var project = await CreateProjectAsync(repo, "PathMapCiSuite");
        var output = await BuildAsync(project, "-p:ContinuousIntegrationBuild=true");
        var dll = Path.Combine(output, "PathMapCiSuite.dll");
        var file = Path.Combine(project, "NetSuite.cs");
        CollectionAssert.Contains(PdbDocuments(Path.ChangeExtension(dll, ".pdb")), "/_/tests/PathMapCiSuite/NetSuite.cs", "the build mapped the paths");
        WriteManifest(dll, project);

        var sink = Discover(dll);

        Assert.IsEmpty(sink.Warnings.ToList(), string.Join("\n", sink.Warnings));
        AssertLinks(sink.TestCases, file);
    }

    [TestMethod]
    public async Task An_explicit_path_map_resolves_through_the_manifests_project_directory_when_the_dll_is_copied_elsewhere()
    {
        LabRequirement.Programs("git");
        var repo = Path.Combine(_root, "repo");
        var project = await CreateProjectAsync(repo, "PathMapDropSuite");
        var output = await BuildAsync(project, $"-p:PathMap={repo}{Path.DirectorySeparatorChar}=/build/agent/src/");
        CollectionAssert.Contains(
            PdbDocuments(Path.Combine(output, "PathMapDropSuite.pdb")), "/build/agent/src/tests/PathMapDropSuite/NetSuite.cs", "the build mapped the paths");

        // The build output copied to a drop folder outside the repository (as a CI job hands it to a test job).
        var drop = Directory.CreateDirectory(Path.Combine(_root, "drop")).FullName;
        foreach (var built in Directory.GetFiles(output))
        {
            File.Copy(built, Path.Combine(drop, Path.GetFileName(built)));
        }

        var dll = Path.Combine(drop, "PathMapDropSuite.dll");
        WriteManifest(dll, project);

        var sink = Discover(dll);

        AssertLinks(sink.TestCases, Path.Combine(project, "NetSuite.cs"));
    }

    private static void AssertLinks(IReadOnlyList<TestCase> testCases, string file)
    {
        var lines = File.ReadAllLines(file);
        int LineOf(string method) => Array.FindIndex(lines, l => l.Contains($"public Task {method}(", StringComparison.Ordinal)) + 1;

        Assert.HasCount(2, testCases);
        foreach (var testCase in testCases)
        {
            var method = testCase.FullyQualifiedName.Split('.')[^1];
            Assert.AreEqual(file, testCase.CodeFilePath, testCase.FullyQualifiedName);
            Assert.IsTrue(File.Exists(testCase.CodeFilePath));
            Assert.AreEqual(LineOf(method), testCase.LineNumber, testCase.FullyQualifiedName);
        }
    }

    /// <summary>A git repository with <c>tests/&lt;name&gt;/&lt;name&gt;.csproj</c> and the suite; returns the project directory.</summary>
    private static async Task<string> CreateProjectAsync(string repo, string name)
    {
        var project = Directory.CreateDirectory(Path.Combine(repo, "tests", name)).FullName;
        var framework = Path.Combine(AppContext.BaseDirectory, "DeviceTest.Framework.dll");
        await File.WriteAllTextAsync(Path.Combine(project, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="DeviceTest.Framework" HintPath="{framework}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "NetSuite.cs"), SuiteSource);
        await File.WriteAllTextAsync(Path.Combine(repo, ".gitignore"), "bin/\nobj/\n");
        await GitAsync(repo, "init", "-q");
        await GitAsync(repo, "add", "-A");
        await GitAsync(repo, "-c", "user.name=DeviceTest", "-c", "user.email=devicetest@localhost", "commit", "-q", "-m", "suite");
        return project;
    }

    /// <summary>Builds the project; returns its output folder.</summary>
    private static async Task<string> BuildAsync(string project, string mapping)
    {
        var (exitCode, output) = await Dotnet.RunAsync(["build", project, "-v", "q", "-nologo", mapping]);
        Assert.AreEqual(0, exitCode, output);
        return Path.Combine(project, "bin", "Debug", "net10.0");
    }

    /// <summary>The manifest the build's targets write next to the dll (only the project directory matters here).</summary>
    private static void WriteManifest(string dll, string project)
    {
        var manifest = new { version = 1, projectDirectory = project, specs = Array.Empty<object>() };
        File.WriteAllText(Path.ChangeExtension(dll, null) + ".devicetest.json", JsonSerializer.Serialize(manifest));
    }

    private static List<string> PdbDocuments(string pdb)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdb));
        var reader = provider.GetMetadataReader();
        return reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
    }

    private static RecordingSink Discover(string dll)
    {
        var sink = new RecordingSink();
        new DeviceTestDiscoverer().DiscoverTests([dll], new FakeRunContext(null, Path.GetTempPath()), sink, sink);
        return sink;
    }

    private static async Task GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.AreEqual(0, process.ExitCode, $"git {string.Join(' ', arguments)}: {await stdout}{await stderr}");
    }
}
