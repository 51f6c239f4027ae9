namespace DeviceTest.Hardware.Deployment;

/// <summary>Rules for paths on the device: absolute POSIX file paths, no <c>.</c>/<c>..</c> segments, no control characters.</summary>
internal static class TargetPaths
{
    /// <summary>Null when <paramref name="path"/> is fine, else what is wrong with it (to follow the path in a message).</summary>
    public static string? Check(string path)
    {
        if (!path.StartsWith('/'))
        {
            return "is relative; it must be an absolute POSIX path on the device, such as /opt/app/" + path.TrimStart('.', '/', '\\');
        }

        if (path.EndsWith('/'))
        {
            return "names a directory; it must name the file, such as " + path + "file";
        }

        if (path.Any(char.IsControl))
        {
            return "contains control characters (newline, tab...); remove them";
        }

        var segments = path.Split('/').Skip(1).ToArray();
        if (segments.Any(s => s == ".."))
        {
            return "escapes with '..'; write the absolute path it means without '..'";
        }

        if (segments.Any(s => s.Length == 0 || s == "."))
        {
            return "has empty or '.' segments ('//' or '/./'); write it plainly";
        }

        return null;
    }
}
