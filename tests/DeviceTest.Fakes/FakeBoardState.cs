namespace DeviceTest.Fakes;

/// <summary>What a <see cref="FakeBoard"/> is doing.</summary>
public enum FakeBoardState
{
    /// <summary>No power (or QEMU not running / guest paused before it ran).</summary>
    Off,

    /// <summary>Booting: it printed its boot log; the shell comes after <see cref="FakeBoard.BootTime"/> (or never).</summary>
    Booting,

    /// <summary>Shell ready: the prompt was printed, commands run, SSH answers.</summary>
    Up,

    /// <summary>Hung (a kernel panic): it prints nothing and answers nothing until it is reset or power-cycled.</summary>
    Hung,
}
