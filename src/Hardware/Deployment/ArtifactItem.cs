namespace DeviceTest.Hardware.Deployment;

/// <summary>A <c>DeviceArtifact</c> item as the project gives it: its name there, its full local path, and its metadata as text.</summary>
internal sealed record ArtifactItem(string ItemSpec, string LocalPath, string? TargetPath, string? Mode, string? DefinedIn = null);
