namespace DeviceTest.Hardware.Boards;

/// <summary>
/// What differs between the board strategies: how commands reach the board, how to wait for its shell after a boot,
/// and how it reboots. <see cref="BoardStateMachine"/> does the rest (power, states, recovery) the same way for all.
/// </summary>
internal interface IShellSide
{
    /// <summary>The device's name, for messages.</summary>
    string DeviceName { get; }

    /// <summary>The device commands go to now.</summary>
    IDevice Commands { get; }

    /// <summary>Waits until the shell answers, at most <paramref name="timeout"/>, knowing what the power step did.</summary>
    Task WaitForShellAsync(PowerOnResult boot, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>After a reset of the board: nothing of the old boot's connections is reused.</summary>
    Task ResetCommandsAsync();

    /// <summary>Reboots a board whose shell is ready, with a finite timeout.</summary>
    Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken);
}
