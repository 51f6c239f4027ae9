using DeviceTest.TestAdapter.Discovery;
using DeviceTest.TestAdapter.Tests.Fakes;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>The spec list the build writes (<c>&lt;TargetName&gt;.devicetest.json</c>), read back by the adapter.</summary>
[TestClass]
public sealed class SpecManifestBuildTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Spec_paths_with_quotes_spaces_and_non_ascii_survive_the_build()
    {
        // Before: the target escaped quotes by hand, MSBuild turned the backslash into a slash, and the JSON broke.
        var project = Directory.CreateTempSubdirectory("dt-spec-manifest-").FullName;
        try
        {
            var odd = Path.Combine(project, "sp\"ec dir", "prüf b.spec.yml");
            Directory.CreateDirectory(Path.GetDirectoryName(odd)!);
            await File.WriteAllTextAsync(odd, "name: x\n", TestContext.CancellationToken);
            var projectFile = Path.Combine(project, "p.proj");
            await File.WriteAllTextAsync(projectFile, $"""
                <Project>
                  <PropertyGroup><TargetName>My.Tests</TargetName><IntermediateOutputPath>obj/</IntermediateOutputPath></PropertyGroup>
                  <ItemGroup><DeviceTestSpec Include="sp&quot;ec dir/prüf b.spec.yml" /></ItemGroup>
                  <Target Name="AssignTargetPaths" />
                  <Import Project="{Path.Combine(Dotnet.RepositoryRoot, "src", "TestAdapter", "build", "DeviceTest.TestAdapter.targets")}" />
                </Project>
                """, TestContext.CancellationToken);

            var (code, output) = await Dotnet.RunAsync(["msbuild", projectFile, "-t:AssignTargetPaths", "-nologo", "-v:q", "-nodeReuse:false"]);
            Assert.AreEqual(0, code, output);

            var manifest = SpecManifest.TryRead(Path.Combine(project, "obj", "My.Tests.dll"), out var error);
            Assert.IsNull(error, error);
            Assert.IsNotNull(manifest);
            Assert.AreEqual(project, manifest.ProjectDirectory);
            CollectionAssert.AreEqual(new[] { odd }, manifest.SpecPaths.ToArray());
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
