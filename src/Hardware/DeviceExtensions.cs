namespace DeviceTest.Hardware;

/// <summary>Shorthands for running shell commands on a device (<c>await device.RunAsync("uname -a", ct)</c>).</summary>
public static class DeviceExtensions
{
    /// <summary>Runs <paramref name="shellCommand"/> in the device's shell, without a time limit of its own.</summary>
    /// <remarks>A non-zero exit code is not an error: check <see cref="CommandResult.ExitCode"/> or <see cref="CommandResult.Succeeded"/>.</remarks>
    public static Task<CommandResult> RunAsync(this IDevice device, string shellCommand, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.RunAsync(CommandRequest.Shell(shellCommand), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="shellCommand"/> in the device's shell; after <paramref name="timeout"/> its process group is
    /// killed and the result has <see cref="CommandResult.TimedOut"/> set.
    /// </summary>
    public static Task<CommandResult> RunAsync(this IDevice device, string shellCommand, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return device.RunAsync(new CommandRequest(CommandLine.FromShell(shellCommand)) { Timeout = timeout }, cancellationToken);
    }
}
