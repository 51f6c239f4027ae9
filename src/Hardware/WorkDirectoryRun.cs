namespace DeviceTest.Hardware;

/// <summary>What <see cref="IWorkDirectoryCommands.RunInWorkDirectoryAsync"/> did.</summary>
public sealed class WorkDirectoryRun
{
    /// <summary>The command's result; null when it did not run (see <see cref="Failure"/>).</summary>
    public CommandResult? Result { get; init; }

    /// <summary>The work directory on the device (absolute); null when none was made or none is left.</summary>
    public string? Path { get; init; }

    /// <summary>True when <c>results/</c> or <c>artifacts/</c> holds anything (then fetch it).</summary>
    public bool HasFiles { get; init; }

    /// <summary>
    /// Work directories made ahead for later tests (<see cref="WorkDirectoryRequest.MakeAhead"/>), each fresh, empty
    /// and mode 0700; the caller hands each to one later request as <see cref="WorkDirectoryRequest.Premade"/> and
    /// removes those it does not use.
    /// </summary>
    public IReadOnlyList<string> MadeAhead { get; init; } = [];

    /// <summary>Why the work directory could not be made (the command did not run), else null.</summary>
    public string? Failure { get; init; }
}
