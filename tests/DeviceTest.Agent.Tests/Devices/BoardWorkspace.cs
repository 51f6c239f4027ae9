namespace DeviceTest.Agent.Tests.Devices;

/// <summary>
/// A temp folder for one devicetest run: devices.yml, the specs, the JUnit file and results. devicetest runs with a
/// different working directory (<see cref="Elsewhere"/>), so relative paths in devices.yml must resolve against its folder.
/// </summary>
internal sealed class BoardWorkspace : IDisposable
{
    public BoardWorkspace()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("dt-boardrun-").FullName;
        Elsewhere = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "cwd")).FullName;
        SmokeSpec = BoardSpecs.Write(Directory, "board-smoke.spec.yml", BoardSpecs.Smoke);
        RebootSpec = BoardSpecs.Write(Directory, "board-reboot.spec.yml", BoardSpecs.Reboot);
    }

    public string Directory { get; }

    public string Elsewhere { get; }

    public string DevicesFile => Path.Combine(Directory, "devices.yml");

    public string JUnitFile => Path.Combine(Directory, "results.xml");

    public string ResultsDirectory => Path.Combine(Directory, "results");

    public string SmokeSpec { get; }

    public string RebootSpec { get; }

    /// <summary>Writes devices.yml with one device entry (<paramref name="entry"/> is its YAML body, indented by the caller's lines).</summary>
    public void WriteDevice(string name, params string[] lines)
    {
        var body = string.Join("\n", lines.Select(l => "    " + l));
        File.WriteAllText(DevicesFile, $"devices:\n  {name}:\n{body}\n");
    }

    /// <summary>Writes a spec file next to devices.yml.</summary>
    public string WriteSpec(string fileName, string text) => BoardSpecs.Write(Directory, fileName, text);

    /// <summary><c>devicetest run SPECS --device D --devices devices.yml --junit results.xml --results results/</c>.</summary>
    public Task<BoardRunResult> RunAsync(string device, TimeSpan timeout, params string[] specs)
    {
        string[] arguments = ["run", .. specs, "--device", device, "--devices", DevicesFile, "--junit", JUnitFile, "--results", ResultsDirectory];
        return BoardRunProcess.RunAsync(Elsewhere, timeout, arguments);
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

    /// <summary>A YAML single-quoted scalar.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
