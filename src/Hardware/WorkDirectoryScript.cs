using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DeviceTest.Hardware;

/// <summary>
/// The shell text a transport puts around a test's command for <see cref="IWorkDirectoryCommands"/>: make the work
/// directory, check afterwards whether <c>results/</c> or <c>artifacts/</c> hold anything, and the report line
/// <c>&lt;exit code&gt; &lt;flag&gt; &lt;path&gt;</c> (flag 1: files, 0: empty, x: no work directory). The directory is
/// <c>${TMPDIR:-/tmp}/devicetest.&lt;random&gt;</c>, made mode 0700 by a <c>mkdir</c> that fails when the name exists,
/// as <c>mktemp -d</c> does (its <c>results/</c> and <c>artifacts/</c> are 0700 too, where mktemp's path gave them
/// the umask's mode: nobody else could enter the 0700 parent either way); the name is chosen here so that the directory is known even when the command is killed
/// before the report. Variables of the persistent shell it runs in start with <c>dt_</c>.
/// </summary>
internal static class WorkDirectoryScript
{
    /// <summary>
    /// Sets <c>dt_f</c> to 1 when <c>$dt_d/results</c> or <c>$dt_d/artifacts</c> holds an entry (hidden ones too), else
    /// 0, with shell builtins only: no process is started.
    /// </summary>
    public const string Check =
        "dt_f=0; for dt_p in \"$dt_d\"/results/* \"$dt_d\"/results/.[!.]* \"$dt_d\"/results/..?* " +
        "\"$dt_d\"/artifacts/* \"$dt_d\"/artifacts/.[!.]* \"$dt_d\"/artifacts/..?*; do " +
        "if [ -e \"$dt_p\" ] || [ -L \"$dt_p\" ]; then dt_f=1; break; fi; done";

    /// <summary>A new random directory name part (96 bits).</summary>
    public static string NewName() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>Sets <c>dt_d</c> to the work directory of <paramref name="name"/>.</summary>
    public static string SetPath(string name) => $"dt_d=\"${{TMPDIR:-/tmp}}/devicetest.{name}\"";

    /// <summary>
    /// A condition: makes <c>$dt_d</c> with <c>results/</c> and <c>artifacts/</c> (after <see cref="SetPath"/>), all
    /// mode 0700, with one process (a test costs the processes it starts: this is the only one besides its own).
    /// </summary>
    public const string Make = "mkdir -m 700 -- \"$dt_d\" \"$dt_d/results\" \"$dt_d/artifacts\"";

    /// <summary>Removes <paramref name="paths"/> quietly, or nothing when there are none; ends with "; ".</summary>
    public static string Remove(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder("rm -rf --");
        foreach (var path in paths)
        {
            CheckPath(path);
            text.Append(' ').Append(ShellQuoting.Quote(path));
        }

        return text.Append(" 2>/dev/null; ").ToString();
    }

    /// <summary>
    /// A command that prints <c>&lt;flag&gt; &lt;path&gt;</c> for the work directory of <paramref name="name"/> when it
    /// exists (after a command whose report never came: killed with its shell).
    /// </summary>
    public static string Describe(string name) =>
        $"{SetPath(name)}; if [ -d \"$dt_d\" ]; then {Check}; printf '%s %s\\n' \"$dt_f\" \"$dt_d\"; fi";

    /// <summary>Removes the work directory of <paramref name="name"/> (after Ctrl+C, when its path never came back).</summary>
    public static string RemoveNamed(string name) => $"{SetPath(name)}; rm -rf -- \"$dt_d\"";

    /// <summary>Reads <c>&lt;exit code&gt; &lt;flag&gt; &lt;path&gt;</c>.</summary>
    public static bool TryParseReport(string text, out int exitCode, out string flag, out string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        exitCode = 0;
        flag = string.Empty;
        path = string.Empty;
        var parts = text.Split(' ', 2);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out exitCode)
            && TryParseDescription(parts[1], out flag, out path);
    }

    /// <summary>Reads <c>&lt;flag&gt; &lt;path&gt;</c> (<see cref="Describe"/>'s output, the end of a report).</summary>
    public static bool TryParseDescription(string text, out string flag, out string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.TrimEnd('\n', '\r').Split(' ', 2);
        flag = parts[0];
        path = parts.Length == 2 ? parts[1] : string.Empty;
        return parts.Length == 2 && flag is "0" or "1" or "x" && (flag == "x" || path.StartsWith('/'));
    }

    private static void CheckPath(string path)
    {
        if (!path.StartsWith('/') || path.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{path}' is not an absolute path of a work directory.", nameof(path));
        }
    }
}
