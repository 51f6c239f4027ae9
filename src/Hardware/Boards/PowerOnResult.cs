namespace DeviceTest.Hardware.Boards;

/// <summary>What <see cref="IBoardPower.OnAsync"/> did, which tells the strategy how to wait for the shell.</summary>
public enum PowerOnResult
{
    /// <summary>Nothing was switched: the board runs as it was (or was switched on earlier).</summary>
    NothingSwitched,

    /// <summary>Switched on from an unknown state: it may be booting now, or was on already (a relay that is on stays on).</summary>
    SwitchedOn,

    /// <summary>A boot started just now (switched on after an off, QEMU started).</summary>
    BootStarted,
}
