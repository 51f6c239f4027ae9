namespace DeviceTest.Hardware;

/// <summary>Which stream a piece of output came from.</summary>
public enum OutputKind
{
    Stdout,
    Stderr,
}
