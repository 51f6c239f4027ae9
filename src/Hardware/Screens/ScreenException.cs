namespace DeviceTest.Hardware.Screens;

/// <summary>A frame could not be captured, or an image could not be read (what, where and why are in the message).</summary>
public sealed class ScreenException : Exception
{
    public ScreenException()
    {
    }

    public ScreenException(string message)
        : base(message)
    {
    }

    public ScreenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
