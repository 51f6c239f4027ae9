namespace DeviceTest.Lab.Gateway;

/// <summary>An artifact the stand-in received.</summary>
public sealed class StandInArtifact
{
    internal StandInArtifact(byte[] content, string? contentType, bool viaSignedUrl)
    {
        Content = content;
        ContentType = contentType;
        ViaSignedUrl = viaSignedUrl;
    }

    public byte[] Content { get; }

    public string? ContentType { get; }

    /// <summary>True when it came to the plain-HTTP signed URL, false when over mTLS to the gateway.</summary>
    public bool ViaSignedUrl { get; }

    /// <summary>How many times it was uploaded.</summary>
    public int Uploads { get; internal set; } = 1;
}
