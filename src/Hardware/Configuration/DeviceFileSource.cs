namespace DeviceTest.Hardware.Configuration;

/// <summary>Where <see cref="DeviceFileLocator"/> found the devices file.</summary>
public enum DeviceFileSource
{
    /// <summary>Named explicitly: runsettings <c>DeviceTest/DevicesFile</c>, <c>--devices</c>, an MSBuild property.</summary>
    Explicit,

    /// <summary>The <c>DEVICETEST_DEVICES</c> environment variable.</summary>
    EnvironmentVariable,

    /// <summary><c>devices.yml</c> in the working directory.</summary>
    WorkingDirectory,
}
