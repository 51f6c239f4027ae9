using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DeviceTest.Tasks.Tests;

/// <summary>
/// <c>dotnet pack Adapter.sln</c> into a folder, once per test run, shared by the tests that use the packages as a user
/// does (PackageEndToEndTests, TemplatePackageTests, ToolPackageTests). A copy of the sources is packed: packing in place
/// would rebuild the bin folders other test assemblies run from.
/// </summary>
internal static class PackedFeed
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static string? s_feed;
    private static string? s_sources;

    /// <summary>The version every package of this run gets (unique, so no cached package is reused).</summary>
    public static string Version { get; } = "0.0.1-e2e" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>The package ids the solution packs.</summary>
    public static IReadOnlyList<string> PackageIds { get; } =
        ["DeviceTest.Hardware", "DeviceTest.Framework", "DeviceTest.TestAdapter", "DeviceTest.Tasks", "DeviceTest.Agent", "DeviceTest.Templates"];

    /// <summary>The folder with the packages (packed on first use).</summary>
    public static async Task<string> GetAsync()
    {
        await s_gate.WaitAsync();
        try
        {
            if (s_feed is null)
            {
                var feed = Directory.CreateTempSubdirectory("dt-feed-").FullName;
                s_sources = await CopySourcesAsync();
                var (code, output) = await DotnetAsync(s_sources, TimeSpan.FromMinutes(15), null,
                    "pack", Path.Combine(s_sources, "Adapter.sln"), "-o", feed, "-p:Version=" + Version, "-nodeReuse:false");
                Assert.AreEqual(0, code, "dotnet pack failed:\n" + output);
                foreach (var id in PackageIds)
                {
                    Assert.IsTrue(File.Exists(Path.Combine(feed, $"{id}.{Version}.nupkg")), $"{id} was not packed:\n{output}");
                }

                s_feed = feed;
            }

            return s_feed;
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <summary>A nuget.config with the packed feed for DeviceTest.* and nuget.org (as configured here) for the rest.</summary>
    public static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="devicetest" value="{feed}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="devicetest"><package pattern="DeviceTest.*" /></packageSource>
            <packageSource key="nuget.org"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/> to the end.</summary>
    public static async Task<(int Code, string Output)> DotnetAsync(
        string directory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        await RunAsync("dotnet", directory, timeout, environment, arguments);

    /// <summary>Runs a program in <paramref name="directory"/> to the end, both output streams together.</summary>
    public static async Task<(int Code, string Output)> RunAsync(
        string program, string directory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("DEVICETEST_DEVICES");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var pump = TempProject.PumpAsync(process, output, null);
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeout}:\n{output}");
        }

        await pump;
        return (process.ExitCode, output.ToString());
    }

    /// <summary>Deletes the feed, the copied sources and this run's packages from the machine's package cache.</summary>
    public static void Delete()
    {
        foreach (var directory in new[] { s_feed, s_sources })
        {
            if (directory is not null && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds)
        {
            var directory = Path.Combine(cache, id.ToLowerInvariant(), Version);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>Copies the files git knows (tracked, or new and not ignored) to a temporary folder.</summary>
    private static async Task<string> CopySourcesAsync()
    {
        var root = TempProject.RepositoryRoot;
        var target = Directory.CreateTempSubdirectory("dt-pack-src-").FullName;
        var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "ls-files", "-z", "--cached", "--others", "--exclude-standard" })
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start)!;
        var listing = await git.StandardOutput.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.AreEqual(0, git.ExitCode, "git ls-files failed in " + root);
        foreach (var relative in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(root, relative);
            if (!File.Exists(source))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination);
        }

        return target;
    }
}
