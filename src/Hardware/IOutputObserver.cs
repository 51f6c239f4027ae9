namespace DeviceTest.Hardware;

/// <summary>Receives a command's output as it arrives. Calls are serialized.</summary>
public interface IOutputObserver
{
    void OnOutput(OutputKind stream, ReadOnlySpan<char> text);
}
