namespace DeviceTest.Hardware.Flashing;

/// <summary>Finds programs on PATH (the system decompressors DeviceTest prefers where they are faster than a library,
/// and <c>flock</c> for the MSBuild tasks' early connect).</summary>
internal static class ToolPath
{
    /// <summary>The full path of <paramref name="program"/>, or null when it is not on PATH.</summary>
    public static string? Find(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
    }
}
