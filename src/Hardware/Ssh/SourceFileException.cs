namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// A local file could not be sent as it was when its transfer began: it changed size, or it cannot be read. The
/// problem is on this side, not the device's; a batch put that meets it leaves the device as it was.
/// </summary>
internal sealed class SourceFileException : IOException
{
    public SourceFileException(string message)
        : base(message)
    {
    }

    public SourceFileException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Bytes of the file's tar entry that never went out (0: all of its data, but not the padding after it);
    /// null: the file's entry had not started.</summary>
    public long? Unsent { get; init; }
}
