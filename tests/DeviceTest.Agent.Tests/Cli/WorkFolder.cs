using System.Xml.Linq;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>A temporary folder for one test (specs, devices.yml, result files); removed on dispose.</summary>
internal sealed class WorkFolder : IDisposable
{
    public WorkFolder()
    {
        Path = Directory.CreateTempSubdirectory("devicetest-cli-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> (relative) and returns the full path.</summary>
    public string Write(string name, string text)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Runs devicetest here.</summary>
    public Task<CliResult> RunAsync(params string[] args) => DeviceTestProcess.RunAsync(Path, args);

    public XDocument Xml(string name)
    {
        Assert.IsTrue(System.IO.File.Exists(File(name)), $"{name} was not written");
        return XDocument.Load(File(name));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
