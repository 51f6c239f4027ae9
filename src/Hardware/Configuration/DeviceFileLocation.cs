namespace DeviceTest.Hardware.Configuration;

/// <summary>The devices file to use and where its name came from.</summary>
public sealed record DeviceFileLocation(string Path, DeviceFileSource Source)
{
    /// <summary>"runsettings/--devices", "DEVICETEST_DEVICES", "working directory": for messages.</summary>
    public string Describe() => Source switch
    {
        DeviceFileSource.Explicit => $"{Path} (named explicitly)",
        DeviceFileSource.EnvironmentVariable => $"{Path} (from {DeviceFileLocator.EnvironmentVariable})",
        _ => $"{Path} (in the working directory)",
    };
}
