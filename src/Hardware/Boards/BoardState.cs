namespace DeviceTest.Hardware.Boards;

/// <summary>
/// Where a board's boot strategy has brought it (labgrid's strategy <c>Status</c>). Targets of
/// <see cref="IBootStrategy.TransitionAsync(BoardState, TimeSpan, CancellationToken)"/> are <see cref="Off"/> and
/// <see cref="Shell"/>; <see cref="On"/> and <see cref="Booting"/> are passed through on the way to the shell.
/// <code>
///   Unknown ──power on──► On ─────────┐
///      │                              ├──wait for the shell──► Shell
///      │     Off ──power on──► Booting┘                          │
///      └──────► Off ◄──────── power off (from any state) ◄───────┘
///   Shell ──reboot / power cycle──► Booting ──► Shell
/// </code>
/// </summary>
public enum BoardState
{
    /// <summary>Nothing is known: not brought up yet, or the last transition failed. The next one starts from scratch.</summary>
    Unknown,

    /// <summary>Switched off by the strategy (power off; QEMU stopped).</summary>
    Off,

    /// <summary>Switched on from an unknown state: the board may be booting, or may have been on already.</summary>
    On,

    /// <summary>
    /// A boot started just now (power on from <see cref="Off"/>, a power cycle, QEMU started, a reboot that went down):
    /// a console is watched for the prompt before anything is typed on it.
    /// </summary>
    Booting,

    /// <summary>Shell ready: the prompt answered on the console, or SSH ran a command.</summary>
    Shell,
}
