namespace DeviceTest.Agent.Tests.Devices;

/// <summary>What a devicetest process did.</summary>
internal sealed record BoardRunResult(int ExitCode, string Stdout, string Stderr, TimeSpan Duration)
{
    public override string ToString() =>
        $"exit code {ExitCode} after {Duration.TotalSeconds:0.0} s\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
