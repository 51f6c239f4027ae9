namespace DeviceTest.Hardware.Yaml;

/// <summary>A place in a configuration file: 1-based line and column.</summary>
public readonly record struct ConfigPosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
