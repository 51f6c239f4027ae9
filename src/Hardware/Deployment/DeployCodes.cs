namespace DeviceTest.Hardware.Deployment;

/// <summary>The <c>DT2xxx</c> codes of a deploy, the same from the MSBuild tasks and from the test adapter.</summary>
internal static class DeployCodes
{
    /// <summary>The device could not be reached.</summary>
    public const string Unreachable = "DT2003";

    /// <summary>A DeviceArtifact's file does not exist.</summary>
    public const string ArtifactMissing = "DT2010";

    /// <summary>A DeviceArtifact has no TargetPath.</summary>
    public const string TargetPathMissing = "DT2011";

    /// <summary>A TargetPath is not an absolute POSIX path.</summary>
    public const string TargetPathRelative = "DT2012";

    /// <summary>A TargetPath contains <c>..</c>, <c>.</c>, empty segments or control characters.</summary>
    public const string TargetPathInvalid = "DT2013";

    /// <summary>A Mode is not an octal permission string.</summary>
    public const string BadMode = "DT2014";

    /// <summary>Two DeviceArtifacts go to the same TargetPath.</summary>
    public const string DuplicateTarget = "DT2015";

    /// <summary>The transfer failed on the device (I/O error, permissions).</summary>
    public const string TransferFailed = "DT2020";

    /// <summary>The device's disk is full.</summary>
    public const string DiskFull = "DT2021";

    /// <summary>The device manifest could not be written (warning: the local cache still works).</summary>
    public const string ManifestNotWritten = "DT2090";
}
