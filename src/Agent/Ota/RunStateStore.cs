using System.Globalization;
using System.Text.Json;
using DeviceTest.Agent.Files;

namespace DeviceTest.Agent.Ota;

/// <summary>Reads and writes <c>&lt;state-dir&gt;/run-state.json</c> atomically.</summary>
internal sealed class RunStateStore(string stateDirectory)
{
    public const string FileName = "run-state.json";

    public string Path { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(stateDirectory, FileName));

    public void Save(RunState state)
    {
        state.SavedAt = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        DurableFile.WriteAllBytes(Path, JsonSerializer.SerializeToUtf8Bytes(state, AgentJsonContext.Default.RunState), PrivateFiles.FileMode);
    }

    public void Delete() => DurableFile.Delete(Path);

    /// <summary>The saved state; null when there is none, or (with <paramref name="error"/>) when it is unreadable.</summary>
    /// <remarks>Also removes temporary files a process killed while saving left behind.</remarks>
    public RunState? Load(out string? error)
    {
        error = null;
        foreach (var stale in Directory.Exists(System.IO.Path.GetDirectoryName(Path))
            ? Directory.GetFiles(System.IO.Path.GetDirectoryName(Path)!, DurableFile.TemporaryPattern(FileName))
                .Where(file => DurableFile.IsTemporary(System.IO.Path.GetFileName(file)))
            : [])
        {
            try
            {
                File.Delete(stale);
            }
            catch (IOException)
            {
            }
        }

        byte[] bytes;
        try
        {
            if (!File.Exists(Path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read {Path}: {e.Message}";
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize(bytes, AgentJsonContext.Default.RunState);
            error = state is null ? "it holds null" : state.Problem();
            return error is null ? state : null;
        }
        catch (JsonException e)
        {
            error = e.LineNumber is { } line
                ? $"it is not valid JSON at line {line + 1}: {e.Message}"
                : $"it is not valid JSON: {e.Message}";
            return null;
        }
    }

    /// <summary>Moves an unreadable state file aside (kept for inspection); returns where it went.</summary>
    public string Quarantine()
    {
        var aside = $"{Path}.corrupt-{DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        File.Move(Path, aside, overwrite: true);
        DurableFile.FlushDirectory(System.IO.Path.GetDirectoryName(Path)!);
        return aside;
    }
}
