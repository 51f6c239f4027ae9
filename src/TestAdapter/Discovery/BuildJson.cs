using System.Text.Json;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>
/// Reads the JSON files the build writes next to the test dll (the spec list, the DeviceArtifact list): a missing
/// file is no error (a project without the build props, or without artifacts); a file that cannot be read is one
/// message that names it and says to rebuild.
/// </summary>
internal static class BuildJson
{
    /// <summary>
    /// <paramref name="read"/>'s result for the file at <paramref name="path"/>; null without an error when there is no
    /// file; null with <paramref name="error"/> set when it cannot be read (<paramref name="what"/> names its content).
    /// </summary>
    public static T? Read<T>(string path, string what, Func<BuildJsonFields, T> read, out string? error)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        error = null;
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return read(new BuildJsonFields(document.RootElement));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or UriFormatException)
        {
            error = $"{path}: cannot read {what} written by the build ({e.Message}). Rebuild the test project.";
            return null;
        }
    }
}
