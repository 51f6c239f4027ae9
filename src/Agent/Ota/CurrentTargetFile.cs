namespace DeviceTest.Agent.Ota;

/// <summary>Reads aktualizr-lite's <c>current-target</c> file: <c>KEY="value"</c> lines, of which <c>TARGET_NAME</c> names the Target.</summary>
internal static class CurrentTargetFile
{
    public const string FileName = "current-target";

    /// <summary>The Target name, or null with <paramref name="error"/> saying what is wrong and what to do.</summary>
    public static string? ReadTargetName(string path, out string? error)
    {
        string[] lines;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                error = $"{path} does not exist; aktualizr-lite writes it once a Target is installed (is the sota directory mounted at the same path, e.g. -v /var/sota:/var/sota?)";
                return null;
            }

            if (info.Length > 64 * 1024)
            {
                error = $"{path} is {info.Length} bytes, too large to be aktualizr-lite's current-target file";
                return null;
            }

            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read {path}: {e.Message}";
            return null;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith("TARGET_NAME=", StringComparison.Ordinal))
            {
                continue;
            }

            var value = line["TARGET_NAME=".Length..];
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }
            else if (value.Contains('"', StringComparison.Ordinal))
            {
                error = $"{path}:{i + 1}: TARGET_NAME has unbalanced quotes: {line}";
                return null;
            }

            if (value.Length == 0 || value.Any(char.IsControl))
            {
                error = $"{path}:{i + 1}: TARGET_NAME is empty or holds control characters";
                return null;
            }

            error = null;
            return value;
        }

        error = $"{path} has no TARGET_NAME=\"...\" line; it looks corrupt (aktualizr-lite rewrites it at the next install; 'aklite-apps'/'fioup status' show the current Target)";
        return null;
    }
}
