using DeviceTest.Hardware.Consoles.Shell;
namespace DeviceTest.Fakes;

/// <summary>Which real command device a <see cref="FakeCommandDevice"/> stands in for.</summary>
public enum FakeCommandRole
{
    /// <summary>An SSH connection: a board that is not up is unreachable.</summary>
    Ssh,

    /// <summary>The shell on the board's console: it pokes the console when it checks for the prompt.</summary>
    ConsoleShell,
}
