namespace DeviceTest.Hardware.Deployment;

/// <summary>Turns a failed transfer into a <c>DT2020</c>/<c>DT2021</c> code and a message that says what to do.</summary>
internal static class DeployFailure
{
    public static (string Code, string Message) Describe(Exception exception, string deviceName)
    {
        ArgumentNullException.ThrowIfNull(exception);

        // ENOSPC: "No space left on device" from the OS and coreutils; GNU tar reports it as a short write ("Wrote only N of M bytes").
        var message = exception.Message;
        var full = exception is IOException && (
            message.Contains("No space left", StringComparison.OrdinalIgnoreCase) ||
            message.Contains("Wrote only", StringComparison.Ordinal) ||
            message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase));
        return full
            ? (DeployCodes.DiskFull, $"device '{deviceName}' is out of disk space (or quota): {message} Nothing partial was left in place; free space on the device or deploy less.")
            : (DeployCodes.TransferFailed, exception is IOException
                ? $"deploying to device '{deviceName}' failed: {message} Nothing partial was left in place."
                : $"deploying to device '{deviceName}' failed: {message}");
    }
}
