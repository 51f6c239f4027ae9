namespace DeviceTest.Fakes;

/// <summary>What a <see cref="FakeBoard"/>'s reboot command does.</summary>
public enum FakeReboot
{
    /// <summary>Prints "reboot: Restarting system", goes down (connections drop) and boots again.</summary>
    Reboots,

    /// <summary>Exits with <see cref="FakeBoard.RebootExitCode"/> and <see cref="FakeBoard.RebootError"/>; nothing happens.</summary>
    Fails,

    /// <summary>Exits 0 and nothing happens: the board never goes down.</summary>
    DoesNothing,
}
