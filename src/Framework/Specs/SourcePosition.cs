namespace DeviceTest.Framework.Specs;

/// <summary>A place in a spec file: the file as given, 1-based line and column.</summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
