namespace DeviceTest.Hardware.Flashing;

/// <summary>A flash failed: <see cref="Failure"/> says what kind, <see cref="Stage"/> which step; the message is for users.</summary>
public sealed class FlashException : Exception
{
    public FlashException()
    {
    }

    public FlashException(string message)
        : base(message)
    {
    }

    public FlashException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FlashException(FlashFailure failure, FlashStage stage, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        Stage = stage;
    }

    public FlashFailure Failure { get; }

    public FlashStage Stage { get; }

    /// <summary>The step's name as messages say it ("write", "mux to host", ...).</summary>
    public static string Describe(FlashStage stage) => stage switch
    {
        FlashStage.Image => "image",
        FlashStage.PowerOff => "power off",
        FlashStage.MuxToHost => "mux to host",
        FlashStage.WaitForMedium => "wait for the medium",
        FlashStage.Write => "write",
        FlashStage.Verify => "verify",
        FlashStage.MuxToDevice => "mux to device",
        FlashStage.Command => "flash command",
        FlashStage.Boot => "boot",
        _ => stage.ToString(),
    };
}
