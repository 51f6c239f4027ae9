using System.Globalization;
using System.Text.Json;
using System.Text;
using DeviceTest.Agent.Files;

namespace DeviceTest.Agent.Gateway;

/// <summary>
/// <c>spool-failed/</c>: entries set aside (refused by the gateway, unreadable, or failing again and again while the
/// gateway takes other records), each kept with its artifacts and a <c>NNNNNNNNNNNN.reason</c> text file; and the test
/// ids whose creation was set aside there, so that their completions follow them.
/// </summary>
internal sealed class FailedEntries
{
    private readonly UploadSpool _spool;
    private readonly HashSet<string> _refusedStarts = new(StringComparer.Ordinal);

    public FailedEntries(UploadSpool spool)
    {
        _spool = spool;
        foreach (var path in Directory.EnumerateFiles(spool.FailedDirectory, "*.start.json"))
        {
            try
            {
                var entry = JsonSerializer.Deserialize(File.ReadAllBytes(path), GatewayJsonContext.Default.SpoolEntry);
                if (!string.IsNullOrEmpty(entry?.TestId))
                {
                    _refusedStarts.Add(entry.TestId);
                }
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                // A corrupt refused entry names no test.
            }
        }
    }

    /// <summary>True when the start of <paramref name="testId"/> was set aside: its completion cannot be sent.</summary>
    public bool StartWasSetAside(string testId) => _refusedStarts.Contains(testId);

    /// <summary>Moves <paramref name="file"/> (and its artifacts) to spool-failed with <paramref name="reason"/>.</summary>
    /// <param name="file">The entry.</param>
    /// <param name="reason">Why, for the <c>.reason</c> file.</param>
    /// <param name="startTestId">For a start entry: its test id, so that its completion is set aside too.</param>
    public void MoveAside(SpoolFile file, string reason, string? startTestId = null)
    {
        if (startTestId is not null)
        {
            _refusedStarts.Add(startTestId);
        }

        var failed = _spool.FailedDirectory;
        PrivateFiles.CreateFolder(failed);
        var stem = UploadSpool.SequenceText(file.Sequence);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'} {file.FileName}\n")
            .Append(reason).Append('\n')
            .ToString();
        DurableFile.WriteAllText(Path.Combine(failed, stem + ".reason"), text);
        if (Directory.Exists(file.ArtifactsDirectory))
        {
            DurableFile.Move(file.ArtifactsDirectory, Path.Combine(failed, stem + ".artifacts"));
        }

        DurableFile.Move(file.Path, Path.Combine(failed, file.FileName));
    }
}
