using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DeviceTest.Hardware;

/// <summary>
/// The shell text a transport puts around a test's command for <see cref="IWorkDirectoryCommands"/>: the check
/// afterwards whether <c>results/</c> or <c>artifacts/</c> hold anything, removals, and the report line
/// <c>&lt;exit code&gt; &lt;flag&gt; &lt;path&gt;</c> (flag 1: files, 0: empty, x: no work directory). Making the
/// directories is <see cref="WorkDirectoryNames"/>'s part. Variables of the persistent shell it runs in start with
/// <c>dt_</c>.
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

    /// <summary>Reads <c>&lt;flag&gt; &lt;path&gt;</c> (<see cref="WorkDirectoryNames.Describe"/>'s output, the end of a report).</summary>
    public static bool TryParseDescription(string text, out string flag, out string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.TrimEnd('\n', '\r').Split(' ', 2);
        flag = parts[0];
        path = parts.Length == 2 ? parts[1] : string.Empty;
        return parts.Length == 2 && flag is "0" or "1" or "x" && (flag == "x" || path.StartsWith('/'));
    }

    /// <summary>Throws unless <paramref name="path"/> is an absolute path on one line.</summary>
    public static void CheckPath(string path)
    {
        if (!path.StartsWith('/') || path.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{path}' is not an absolute path of a work directory.", nameof(path));
        }
    }
}
