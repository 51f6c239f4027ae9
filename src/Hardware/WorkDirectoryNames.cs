using System.Globalization;
using System.Text;

namespace DeviceTest.Hardware;

/// <summary>
/// The work directories of one <see cref="WorkDirectoryRequest"/> and the shell text that makes, finds and removes
/// them, for the transports that run a test in one shell command (SSH's persistent session, console shells). Each
/// directory is <c>${TMPDIR:-/tmp}/devicetest.&lt;96 random bits&gt;</c> with <c>results/</c> and <c>artifacts/</c>, all
/// made mode 0700 by a <c>mkdir</c> that fails when a name exists, as <c>mktemp -d</c> does. The names are chosen here
/// so that the directories are known even when the command is killed before its report.
/// </summary>
/// <remarks>
/// A request either names a pre-made directory (<see cref="Premade"/>) or makes a new one (<see cref="Name"/>) together
/// with the directories for later tests (<see cref="Ahead"/>), in the same <c>mkdir</c>: a run of N tests starts
/// N/(ahead + 1) <c>mkdir</c> processes instead of N. A pre-made directory is used only when it is still the device
/// user's own directory (<c>[ -O ]</c>, not a symbolic link) with its two folders: after a reboot emptied <c>/tmp</c>,
/// another user could have made one under a name they saw; then the test gets a new directory, as before.
/// </remarks>
internal sealed class WorkDirectoryNames
{
    private const string Prefix = "${TMPDIR:-/tmp}/devicetest.";

    public WorkDirectoryNames(WorkDirectoryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Premade is { } premade)
        {
            WorkDirectoryScript.CheckPath(premade);
        }

        Premade = request.Premade;
        var ahead = Premade is null ? Math.Clamp(request.MakeAhead, 0, WorkDirectoryRequest.MaxMakeAhead) : 0;
        Ahead = [.. Enumerable.Range(0, ahead).Select(_ => WorkDirectoryScript.NewName())];
    }

    /// <summary>The name of the test's new directory (made when there is no usable <see cref="Premade"/>).</summary>
    public string Name { get; } = WorkDirectoryScript.NewName();

    /// <summary>The pre-made directory the request named, or null.</summary>
    public string? Premade { get; }

    /// <summary>The names of the directories made ahead, in the same <c>mkdir</c> as <see cref="Name"/>.</summary>
    public IReadOnlyList<string> Ahead { get; }

    /// <summary>
    /// A shell condition that sets <c>dt_d</c> to the test's work directory and is true when it is ready: the
    /// pre-made one when it is still the device user's, else a new one; with the directories made ahead.
    /// </summary>
    public string Prepare()
    {
        var fresh = $"dt_d=\"{Prefix}{Name}\"; mkdir -m 700 -- \"$dt_d\" \"$dt_d/results\" \"$dt_d/artifacts\"";
        if (Premade is { } premade)
        {
            // Builtins only; a shell without -O takes the second branch every time, which costs what it did before.
            return $"dt_d={ShellQuoting.Quote(premade)}; {{ [ ! -L \"$dt_d\" ] && [ -O \"$dt_d\" ] && [ -d \"$dt_d/results\" ] && " +
                $"[ -d \"$dt_d/artifacts\" ]; }} 2>/dev/null || {{ {fresh}; }}";
        }

        if (Ahead.Count == 0)
        {
            return fresh;
        }

        // The argument list is built with builtins (shorter text to send or type than every path spelled out) and
        // cleared afterwards, so that a console shell's command does not see it as "$@".
        return $"dt_t=\"{Prefix}\"; dt_d=\"${{dt_t}}{Name}\"; set -- \"$dt_d\" \"$dt_d/results\" \"$dt_d/artifacts\"; " +
            $"for dt_n in {string.Join(' ', Ahead)}; do set -- \"$@\" \"$dt_t$dt_n\" \"$dt_t$dt_n/results\" \"$dt_t$dt_n/artifacts\"; done; " +
            "mkdir -m 700 -- \"$@\"; dt_m=$?; set --; [ \"$dt_m\" = 0 ]";
    }

    /// <summary>
    /// A command that removes the directories made ahead and prints <c>&lt;flag&gt; &lt;path&gt;</c> for the test's
    /// directory when there is one (after a command whose report never came: killed with its shell).
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder(RemoveText(Ahead.Select(name => $"\"{Prefix}{name}\""), "; "));
        text.Append(CultureInfo.InvariantCulture, $"dt_d=\"{Prefix}{Name}\"; if [ -d \"$dt_d\" ]");
        if (Premade is { } premade)
        {
            text.Append(CultureInfo.InvariantCulture, $" || {{ dt_d={ShellQuoting.Quote(premade)}; [ ! -L \"$dt_d\" ] && [ -O \"$dt_d\" ] && [ -d \"$dt_d\" ]; }} 2>/dev/null");
        }

        return text.Append(CultureInfo.InvariantCulture, $"; then {WorkDirectoryScript.Check}; printf '%s %s\\n' \"$dt_f\" \"$dt_d\"; fi").ToString();
    }

    /// <summary>Removes every directory of the request (after Ctrl+C, when the report never came back; after a failed <c>mkdir</c>).</summary>
    public string RemoveAll()
    {
        var paths = new List<string> { $"\"{Prefix}{Name}\"" };
        if (Premade is { } premade)
        {
            paths.Add(ShellQuoting.Quote(premade));
        }

        paths.AddRange(Ahead.Select(name => $"\"{Prefix}{name}\""));
        return RemoveText(paths, string.Empty);
    }

    /// <summary>
    /// What the report says: the run in <paramref name="path"/>, with the paths of the directories made ahead (beside it,
    /// under their names), or why no directory could be made (flag x, <paramref name="detail"/> from the output).
    /// </summary>
    public WorkDirectoryRun Reported(CommandResult result, string flag, string path, string detail)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(path);
        if (flag == "x")
        {
            return new WorkDirectoryRun
            {
                Failure = string.Create(
                    CultureInfo.InvariantCulture,
                    $"'mkdir -m 700 -- {Prefix}...' gave exit code {result.ExitCode}: {detail.Trim()}"),
            };
        }

        var prefix = path.EndsWith("/devicetest." + Name, StringComparison.Ordinal) ? path[..^Name.Length] : null;
        return new WorkDirectoryRun
        {
            Result = result,
            Path = path,
            HasFiles = flag == "1",
            MadeAhead = prefix is null ? [] : [.. Ahead.Select(name => prefix + name)],
        };
    }

    /// <summary>What <see cref="Describe"/> printed: the run with its directory, or without one.</summary>
    public static WorkDirectoryRun Described(CommandResult result, string description) =>
        WorkDirectoryScript.TryParseDescription(description.Trim(), out var flag, out var path)
            ? new WorkDirectoryRun { Result = result, Path = path, HasFiles = flag == "1" }
            : new WorkDirectoryRun { Result = result };

    private static string RemoveText(IEnumerable<string> quotedPaths, string end)
    {
        var paths = string.Join(' ', quotedPaths);
        return paths.Length == 0 ? string.Empty : $"rm -rf -- {paths} 2>/dev/null{end}";
    }
}
