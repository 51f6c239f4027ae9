namespace DeviceTest.Hardware.Deployment;

/// <summary>One file to deploy: a checked <c>DeviceArtifact</c> item.</summary>
/// <param name="LocalPath">Full path of the file on this machine.</param>
/// <param name="TargetPath">Absolute POSIX path on the device.</param>
/// <param name="Mode">Permission bits; null: those of the local file.</param>
internal sealed record ArtifactSpec(string LocalPath, string TargetPath, int? Mode);
