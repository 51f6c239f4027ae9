using System.Text;

namespace DeviceTest.Hardware;

/// <summary>
/// What to run: either an argv list (run as is, no shell) or one string for the device's shell.
/// </summary>
public sealed class CommandLine : IEquatable<CommandLine>
{
    private CommandLine(IReadOnlyList<string>? arguments, string? shellText)
    {
        Arguments = arguments;
        ShellText = shellText;
    }

    /// <summary>The argv list, or null when this is a shell string.</summary>
    public IReadOnlyList<string>? Arguments { get; }

    /// <summary>The shell string, or null when this is an argv list.</summary>
    public string? ShellText { get; }

    public static CommandLine FromArguments(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var list = arguments.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A command needs at least one argument.", nameof(arguments));
        }

        return new CommandLine(list, null);
    }

    public static CommandLine FromArguments(params string[] arguments) => FromArguments((IEnumerable<string>)arguments);

    public static CommandLine FromShell(string shellText)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shellText);
        return new CommandLine(null, shellText);
    }

    /// <summary>The command as one POSIX shell string (argv lists are quoted word by word).</summary>
    public string ToShellString() => ShellText ?? string.Join(' ', Arguments!.Select(ShellQuoting.Quote));

    public override string ToString() => ToShellString();

    public bool Equals(CommandLine? other) =>
        other is not null &&
        ShellText == other.ShellText &&
        (Arguments is null ? other.Arguments is null : other.Arguments is not null && Arguments.SequenceEqual(other.Arguments));

    public override bool Equals(object? obj) => Equals(obj as CommandLine);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ShellText);
        foreach (var argument in Arguments ?? [])
        {
            hash.Add(argument);
        }

        return hash.ToHashCode();
    }
}
