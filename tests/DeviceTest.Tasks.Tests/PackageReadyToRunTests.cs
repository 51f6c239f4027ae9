using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace DeviceTest.Tasks.Tests;

/// <summary>
/// The DeviceTest.Tasks package carries the task dlls twice: IL under <c>tasks/net10.0/</c> (every platform) and a
/// ReadyToRun copy for Linux x64 under <c>tasks/net10.0/linux-x64/</c>, which MSBuild on Linux x64 loads (less JIT in a
/// fresh build process). Checked on the packed package, and by loading each copy in a consumer's MSBuild.
/// </summary>
[TestClass]
[TestCategory("e2e")]
public sealed class PackageReadyToRunTests
{
    private const string Precompiled = "tasks/net10.0/linux-x64/";

    [TestMethod]
    public async Task The_package_has_a_complete_ReadyToRun_copy_of_the_tasks_for_linux_x64_beside_the_IL()
    {
        var feed = await PackedFeed.GetAsync();
        using var package = ZipFile.OpenRead(Path.Combine(feed, $"DeviceTest.Tasks.{PackedFeed.Version}.nupkg"));
        var il = package.Entries.Where(e => e.FullName.StartsWith("tasks/net10.0/", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 2 && e.Name.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        var precompiled = package.Entries.Where(e => e.FullName.StartsWith(Precompiled, StringComparison.Ordinal)).ToDictionary(e => e.Name, StringComparer.Ordinal);

        // MSBuild resolves a task's dependencies in the task dll's own folder: the copy must be complete.
        CollectionAssert.AreEquivalent(il.Select(e => e.Name).Append("DeviceTest.Tasks.deps.json").ToList(), precompiled.Keys.ToList());
        foreach (var entry in il)
        {
            Assert.IsFalse(IsReadyToRun(entry), entry.FullName + " must stay IL: an image precompiled for another platform does not load there");
        }

        foreach (var name in new[] { "DeviceTest.Tasks.dll", "DeviceTest.Hardware.dll", "YamlDotNet.dll" })
        {
            Assert.IsTrue(IsReadyToRun(precompiled[name]), Precompiled + name + " is not precompiled");
        }
    }

    [TestMethod]
    public async Task A_consumer_on_linux_x64_loads_the_ReadyToRun_tasks_and_the_IL_tasks_load_too()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            DeviceTest.Lab.LabRequirement.Missing("the ReadyToRun copy of the tasks is for Linux x64 only");
        }

        var feed = await PackedFeed.GetAsync();
        var directory = Directory.CreateTempSubdirectory("dt-r2r-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "nuget.config"), PackedFeed.NuGetConfig(feed));
            File.WriteAllText(Path.Combine(directory, "devices.yml"), "devices:\n  virt:\n    qemu: { kernel: vmlinuz }\n");
            File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <DeviceTestDevicesFile>devices.yml</DeviceTestDevicesFile>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="DeviceTest.Tasks" Version="{PackedFeed.Version}" />
                  </ItemGroup>
                  <Target Name="ShowTasks" DependsOnTargets="ComputeAvailableDevices">
                    <Message Importance="high" Text="TASKS=$(DeviceTestTasksAssembly)" />
                    <Message Importance="high" Text="DEV %(Devices.Identity)" />
                  </Target>
                </Project>
                """);
            var restore = await PackedFeed.DotnetAsync(directory, TimeSpan.FromMinutes(5), null, "restore", "-nodeReuse:false");
            Assert.AreEqual(0, restore.Code, restore.Output);

            var precompiled = await PackedFeed.DotnetAsync(directory, TimeSpan.FromMinutes(5), null, "msbuild", "-t:ShowTasks", "-nodeReuse:false", "-v:m");
            Assert.AreEqual(0, precompiled.Code, precompiled.Output);
            StringAssert.Contains(precompiled.Output, "DEV virt");
            StringAssert.Contains(precompiled.Output, "/" + Precompiled + "DeviceTest.Tasks.dll");
            Assert.IsFalse(precompiled.Output.Contains("warning", StringComparison.OrdinalIgnoreCase), "MSBuild loads the precompiled dll in its own process:\n" + precompiled.Output);

            // What every other platform loads.
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var ilTasks = Path.Combine(cache, "devicetest.tasks", PackedFeed.Version, "tasks", "net10.0", "DeviceTest.Tasks.dll");
            var il = await PackedFeed.DotnetAsync(directory, TimeSpan.FromMinutes(5), null, "msbuild", "-t:ShowTasks", "-nodeReuse:false", "-v:m", "-p:DeviceTestTasksAssembly=" + ilTasks);
            Assert.AreEqual(0, il.Code, il.Output);
            StringAssert.Contains(il.Output, "DEV virt");
            StringAssert.Contains(il.Output, "TASKS=" + ilTasks);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>True when the dll carries precompiled code (a ReadyToRun header), not IL alone.</summary>
    private static bool IsReadyToRun(ZipArchiveEntry entry)
    {
        using var stream = new MemoryStream();
        using (var source = entry.Open())
        {
            source.CopyTo(stream);
        }

        stream.Position = 0;
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }
}
