namespace DeviceTest.Hardware.Boards;

/// <summary>
/// Where <see cref="QemuStrategy"/> has brought a QEMU board. Reached step by step:
/// <code>
///   Off ──start paused, open the console──► Paused ──cont──► Running
///    ▲                                         ▲               │
///    └──────────── quit (from any state) ──────┴──── stop ◄────┘
/// </code>
/// A QEMU that died is <see cref="Off"/>, whatever was asked of it last.
/// </summary>
public enum QemuState
{
    /// <summary>QEMU does not run (never started, stopped, or died); its disk can be written.</summary>
    Off,

    /// <summary>QEMU runs with the guest paused, its console connected: nothing the guest prints is lost.</summary>
    Paused,

    /// <summary>The guest runs.</summary>
    Running,
}
