using System.Xml.Linq;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// The one rule for a relative <c>DevicesFile</c> named in runsettings (the <c>.runsettings</c> file, or
/// <c>-- DeviceTest.DevicesFile=...</c>, which VSTest merges into it): it is relative to the runsettings file's
/// folder, as paths in runsettings are for VSTest itself, else (no runsettings file) to the project folder. The
/// MSBuild tasks and the test adapter both resolve it here, so deploying and testing use the same devices file.
/// </summary>
public static class RunSettingsDevicesFile
{
    /// <summary>The element VSTest adds to the root of the runsettings it read from a file: that file's folder.</summary>
    public const string DirectoryElement = "RunSettingsDirectory";

    /// <summary>
    /// The runsettings file's folder: <paramref name="runSettingsFile"/>'s folder when a file is named, else the
    /// <c>&lt;RunSettingsDirectory&gt;</c> VSTest put into <paramref name="root"/>, else null.
    /// </summary>
    public static string? Directory(XElement? root, string? runSettingsFile)
    {
        if (!string.IsNullOrWhiteSpace(runSettingsFile))
        {
            return Path.GetDirectoryName(Path.GetFullPath(runSettingsFile.Trim()));
        }

        var written = root?.Element(DirectoryElement)?.Value.Trim();
        return string.IsNullOrEmpty(written) ? null : written;
    }

    /// <summary>
    /// <paramref name="value"/> as a path: <c>~</c> expanded, absolute when it is, else under
    /// <paramref name="runSettingsDirectory"/>; left relative (for the project folder) when there is no runsettings
    /// file. Null or blank: null.
    /// </summary>
    public static string? Resolve(string? value, string? runSettingsDirectory)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var path = value.Trim();
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~', '/'));
        }

        return Path.IsPathRooted(path) || string.IsNullOrEmpty(runSettingsDirectory)
            ? path
            : Path.GetFullPath(Path.Combine(runSettingsDirectory, path));
    }
}
