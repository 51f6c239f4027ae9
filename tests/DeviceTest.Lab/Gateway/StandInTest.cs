using System.Text.Json;

namespace DeviceTest.Lab.Gateway;

/// <summary>A test record as the stand-in keeps it.</summary>
public sealed class StandInTest
{
    internal StandInTest(string id, string name)
    {
        Id = id;
        Name = name;
    }

    public string Id { get; }

    public string Name { get; internal set; }

    /// <summary>The <c>x-ats-target</c> header of the (last) POST.</summary>
    public string? TargetHeader { get; internal set; }

    /// <summary>The <c>"target"</c> field of the (last) POST.</summary>
    public string? TargetField { get; internal set; }

    /// <summary>RUNNING, then PASSED or FAILED.</summary>
    public string Status { get; internal set; } = "RUNNING";

    public string? Details { get; internal set; }

    /// <summary>The last PUT body's <c>results</c>.</summary>
    public JsonElement? Results { get; internal set; }

    /// <summary>Artifact names the last PUT announced.</summary>
    public IReadOnlyList<string> AnnouncedArtifacts { get; internal set; } = [];

    /// <summary>How many POSTs created or re-created it.</summary>
    public int Creations { get; internal set; }

    /// <summary>How many PUTs completed it.</summary>
    public int Completions { get; internal set; }

    /// <summary>Uploaded artifacts by name.</summary>
    public Dictionary<string, StandInArtifact> Artifacts { get; } = new(StringComparer.Ordinal);
}
