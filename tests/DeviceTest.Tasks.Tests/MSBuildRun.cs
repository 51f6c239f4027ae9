namespace DeviceTest.Tasks.Tests;

/// <summary>How a <c>dotnet msbuild</c> run ended.</summary>
internal sealed record MSBuildRun(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit code {ExitCode}\n{Output}";
}
