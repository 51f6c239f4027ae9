namespace DeviceTest.Hardware;

/// <summary>What <see cref="IWorkDirectoryCommands.RunInWorkDirectoryAsync"/> runs.</summary>
public sealed class WorkDirectoryRequest
{
    /// <summary>The variable that names the work directory's <c>results/</c> folder.</summary>
    public const string TestDirVariable = "TEST_DIR";

    /// <summary>The variable that names the work directory's <c>artifacts/</c> folder.</summary>
    public const string ArtifactsDirVariable = "ARTIFACTS_DIR";

    /// <summary>The most directories one request makes ahead (<see cref="MakeAhead"/>).</summary>
    public const int MaxMakeAhead = 63;

    public WorkDirectoryRequest(CommandRequest command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command;
    }

    /// <summary>The command; the device sets <c>TEST_DIR</c> and <c>ARTIFACTS_DIR</c> over any in its environment.</summary>
    public CommandRequest Command { get; }

    /// <summary>Work directories of earlier tests to remove in the same round trip (removal is best effort).</summary>
    public IReadOnlyList<string> RemoveFirst { get; init; } = [];

    /// <summary>
    /// A work directory an earlier request made ahead (one of its <see cref="WorkDirectoryRun.MadeAhead"/>), for this
    /// test. The device uses it when it is still there and the device user's own (not a symbolic link, with
    /// <c>results/</c> and <c>artifacts/</c>), else it makes a new one (after a reboot emptied <c>/tmp</c>, for example):
    /// <see cref="WorkDirectoryRun.Path"/> says which. Null: a new one.
    /// </summary>
    public string? Premade { get; init; }

    /// <summary>
    /// How many more work directories to make in the same round trip (one <c>mkdir</c> with the test's own), for later
    /// requests to use as <see cref="Premade"/>; at most <see cref="MaxMakeAhead"/>, and only when
    /// <see cref="Premade"/> is null. Their paths come back in <see cref="WorkDirectoryRun.MadeAhead"/>; a device whose
    /// directories cost no process (local) makes none.
    /// </summary>
    public int MakeAhead { get; init; }

    /// <summary><see cref="Command"/> with <c>TEST_DIR</c> and <c>ARTIFACTS_DIR</c> pointing into <paramref name="workDirectory"/>.</summary>
    internal CommandRequest CommandIn(string workDirectory) => WithEnvironment(new Dictionary<string, string>(Command.Environment, StringComparer.Ordinal)
    {
        [TestDirVariable] = workDirectory + "/results",
        [ArtifactsDirVariable] = workDirectory + "/artifacts",
    });

    /// <summary><see cref="Command"/> without the two variables the device sets (for transports that set them in the shell).</summary>
    internal CommandRequest CommandWithoutWorkDirectory() => WithEnvironment(
        Command.Environment.Where(pair => pair.Key is not (TestDirVariable or ArtifactsDirVariable)).ToDictionary(StringComparer.Ordinal));

    /// <summary><see cref="Command"/> as shell text, with another observer (null: none).</summary>
    internal CommandRequest AsShell(string shellText, IOutputObserver? output) => new(CommandLine.FromShell(shellText))
    {
        Environment = CommandWithoutWorkDirectory().Environment,
        WorkingDirectory = Command.WorkingDirectory,
        Timeout = Command.Timeout,
        KillGracePeriod = Command.KillGracePeriod,
        MaxCapturedBytes = Command.MaxCapturedBytes,
        Output = output,
    };

    private CommandRequest WithEnvironment(IReadOnlyDictionary<string, string> environment) => new(Command.Command)
    {
        Environment = environment,
        WorkingDirectory = Command.WorkingDirectory,
        Timeout = Command.Timeout,
        KillGracePeriod = Command.KillGracePeriod,
        MaxCapturedBytes = Command.MaxCapturedBytes,
        Output = Command.Output,
    };
}
