namespace DeviceTest.Hardware;

/// <summary>A command to run on a device, with its environment, limits and output observer.</summary>
public sealed class CommandRequest
{
    public CommandRequest(CommandLine command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command;
    }

    public CommandLine Command { get; }

    /// <summary>Extra environment variables for the command.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Working directory on the device, or null for the device's default.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How long the command may run; null means no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>After a timeout or cancel, how long the process group gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many bytes of stdout and of stderr <see cref="CommandResult"/> keeps (the rest still reaches
    /// <see cref="Output"/>). Default 16 MiB each.
    /// </summary>
    public int MaxCapturedBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Receives output as it arrives, in order, from both streams. Called from one thread at a time.</summary>
    public IOutputObserver? Output { get; init; }

    public static CommandRequest Shell(string text) => new(CommandLine.FromShell(text));

    public static CommandRequest Arguments(params string[] arguments) => new(CommandLine.FromArguments(arguments));
}
