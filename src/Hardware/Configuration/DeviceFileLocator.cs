namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// Finds the devices file (docs/devices.md), first hit wins: an explicit path (runsettings <c>DeviceTest/DevicesFile</c>,
/// <c>--devices</c>), the environment variable <c>DEVICETEST_DEVICES</c>, <c>devices.yml</c> in the working
/// directory. None: only the built-in device <c>local</c> exists.
/// </summary>
public static class DeviceFileLocator
{
    public const string EnvironmentVariable = "DEVICETEST_DEVICES";

    public const string DefaultFileName = "devices.yml";

    /// <summary>
    /// The devices file to load, or null when none is named and the working directory has no <c>devices.yml</c>.
    /// An explicit path or the environment variable wins even when the file does not exist, so that loading it
    /// reports the missing file instead of silently falling back.
    /// </summary>
    /// <param name="explicitPath">A path named by the user, or null/blank.</param>
    /// <param name="workingDirectory">Relative paths are resolved against it; null: the current directory.</param>
    /// <param name="environment">Reads an environment variable; null: the process environment.</param>
    public static DeviceFileLocation? Locate(
        string? explicitPath,
        string? workingDirectory = null,
        Func<string, string?>? environment = null)
    {
        var directory = workingDirectory ?? Directory.GetCurrentDirectory();
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return new DeviceFileLocation(Resolve(explicitPath.Trim(), directory), DeviceFileSource.Explicit);
        }

        var fromEnvironment = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new DeviceFileLocation(Resolve(fromEnvironment.Trim(), directory), DeviceFileSource.EnvironmentVariable);
        }

        var local = Path.Combine(directory, DefaultFileName);
        return File.Exists(local) ? new DeviceFileLocation(local, DeviceFileSource.WorkingDirectory) : null;
    }

    private static string Resolve(string path, string directory)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~', '/'));
        }

        return Path.IsPathRooted(path) ? path : Path.Combine(directory, path);
    }
}
