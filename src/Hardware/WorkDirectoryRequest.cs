namespace DeviceTest.Hardware;

/// <summary>What <see cref="IWorkDirectoryCommands.RunInWorkDirectoryAsync"/> runs.</summary>
public sealed class WorkDirectoryRequest
{
    /// <summary>The variable that names the work directory's <c>results/</c> folder.</summary>
    public const string TestDirVariable = "TEST_DIR";

    /// <summary>The variable that names the work directory's <c>artifacts/</c> folder.</summary>
    public const string ArtifactsDirVariable = "ARTIFACTS_DIR";

    public WorkDirectoryRequest(CommandRequest command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command;
    }

    /// <summary>The command; the device sets <c>TEST_DIR</c> and <c>ARTIFACTS_DIR</c> over any in its environment.</summary>
    public CommandRequest Command { get; }

    /// <summary>Work directories of earlier tests to remove in the same round trip (removal is best effort).</summary>
    public IReadOnlyList<string> RemoveFirst { get; init; } = [];

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
