using System.Text.Json;

namespace DeviceTest.TestAdapter.Tests.Fakes;

/// <summary>
/// A test project on disk as the build leaves it: spec files under the project directory and the manifest next to
/// the (absent) test dll. Deleted on dispose.
/// </summary>
internal sealed class SpecProject : IDisposable
{
    public SpecProject()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("devicetest-adapter-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "bin"));
        Source = Path.Combine(Directory, "bin", "My.Tests.dll");
        WriteManifest();
    }

    public string Directory { get; }

    /// <summary>The test dll VSTest would hand the adapter.</summary>
    public string Source { get; }

    public List<string> Specs { get; } = [];

    /// <summary>Writes a spec (relative to the project) and lists it in the manifest; returns its absolute path.</summary>
    public string AddSpec(string relativePath, string yaml)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        Specs.Add(relativePath);
        WriteManifest();
        return path;
    }

    public void WriteManifest()
    {
        var manifest = new
        {
            version = 1,
            projectDirectory = Directory,
            specs = Specs.Select(s => new { path = s.Replace('\\', '/') }).ToArray(),
        };
        File.WriteAllText(Path.Combine(Directory, "bin", "My.Tests.devicetest.json"), JsonSerializer.Serialize(manifest));
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
    }
}
