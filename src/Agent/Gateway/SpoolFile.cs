namespace DeviceTest.Agent.Gateway;

/// <summary>One entry file found in the spool.</summary>
internal sealed record SpoolFile(long Sequence, string Kind, string Path)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The folder holding the entry's artifacts (may not exist).</summary>
    public string ArtifactsDirectory => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, UploadSpool.SequenceText(Sequence) + ".artifacts");
}
