namespace DeviceTest.Hardware;

/// <summary>What a command did on the device.</summary>
public sealed class CommandResult
{
    /// <summary>The exit code; -1 when the command was killed after a timeout or did not report one.</summary>
    public required int ExitCode { get; init; }

    /// <summary>Standard output, up to <see cref="CommandRequest.MaxCapturedBytes"/>.</summary>
    public required string Stdout { get; init; }

    /// <summary>Standard error, up to <see cref="CommandRequest.MaxCapturedBytes"/>.</summary>
    public required string Stderr { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>True when the command ran past its timeout and its process group was killed.</summary>
    public bool TimedOut { get; init; }

    /// <summary>True when stdout or stderr was longer than what is kept here.</summary>
    public bool OutputTruncated { get; init; }

    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
