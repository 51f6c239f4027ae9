namespace DeviceTest.Framework.Specs;

/// <summary>One item of a spec's <c>sequence</c>: a <see cref="TestsStep"/> or a <see cref="RebootStep"/>.</summary>
public abstract class SpecStep
{
    /// <summary>0-based index in the sequence.</summary>
    public required int Index { get; init; }

    public required SourcePosition Position { get; init; }
}
