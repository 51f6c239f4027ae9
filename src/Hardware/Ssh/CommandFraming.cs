using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// The framing protocol of the persistent session (see docs/ssh.md). Each command gets a random token T and is sent
/// to the device's long-lived <c>/bin/sh</c> as one shell command:
/// <code>
/// printf '\036DTS%s\n' T; printf '\036DTS%s\n' T &gt;&amp;2
/// DTV_K=V setsid /bin/sh -c 'printf "\036DTP%s %d\n" "$1" $$ &gt;&amp;2; shift; cd -- DIR || exit 126; export K="$DTV_K"; unset DTV_K; eval "$1"' dt T TEXT &lt;/dev/null
/// r=$?; printf '\036DTE%s %s\n' T "$r"; printf '\036DTE%s\n' T &gt;&amp;2
/// </code>
/// Environment values are assignments in front of the command (under other names, so that a PATH given for the command
/// does not change where setsid and sh are found), so they reach its environment but no argv: ps on the device shows
/// the command, never a value. A new channel gets this text on stdin (<see cref="NewChannelReader"/>), not in ssh's
/// argv on this machine.
/// stdout carries start marker, the command's stdout, end marker with the exit code; stderr carries start marker,
/// the process group id, the command's stderr, end marker. A test's command in its work directory
/// (<see cref="BuildInWorkDirectory"/>) adds the work directory's report to the end marker. The command runs in its
/// own process (so cd/export never reach the next command) and, with setsid, its own session and process group,
/// which a timeout kills as a whole. The marker text never appears whole in any argv on the device (the token is a
/// separate word), so even <c>ps</c> output cannot end a frame early.
/// </summary>
internal sealed class CommandFraming
{
    private const string ValuePrefix = "DTV_";

    private CommandFraming(string token)
    {
        Token = token;
        Start = Marker("DTS", token);
        Pid = Marker("DTP", token);
        End = Marker("DTE", token);
    }

    public string Token { get; }

    public byte[] Start { get; }

    public byte[] Pid { get; }

    public byte[] End { get; }

    public static CommandFraming Create() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));

    /// <summary>The probe run once when a session starts: reports whether the device has setsid.</summary>
    public static string ReadyProbe(string token) =>
        $"if command -v setsid >/dev/null 2>&1; then s=1; else s=0; fi; printf '\\036DTR%s %s\\n' {token} \"$s\"\n";

    public static byte[] ReadyMarker(string token) => Marker("DTR", token);

    /// <summary>The shell text for the command, ending in a newline.</summary>
    public string Build(CommandRequest request, bool useSetsid, bool stdinFromChannel = false)
    {
        var line = new StringBuilder(StartMarkers());
        line.Append(Invocation(request, useSetsid, skipped: []));
        line.Append(stdinFromChannel ? "; " : " </dev/null; ");
        line.Append("r=$?; ").Append(EndMarkers("\"$r\""));
        return line.ToString();
    }

    /// <summary>
    /// The shell text for a test's command in its work directory (see <see cref="WorkDirectoryNames"/>), ending in a
    /// newline: <paramref name="removeFirst"/> removed, the directory made (or the pre-made one found), the command run
    /// with <c>TEST_DIR</c> and <c>ARTIFACTS_DIR</c>, and the end marker carrying <c>&lt;exit code&gt; &lt;flag&gt;
    /// &lt;path&gt;</c>. All but the command run in the persistent shell, so the report comes even when a timeout
    /// killed the command's process group.
    /// </summary>
    public string BuildInWorkDirectory(CommandRequest request, WorkDirectoryNames names, IReadOnlyList<string> removeFirst, bool useSetsid)
    {
        ArgumentNullException.ThrowIfNull(names);
        var line = new StringBuilder(StartMarkers());
        line.Append(WorkDirectoryScript.Remove(removeFirst));
        line.Append("if ").Append(names.Prepare()).Append("; then ");
        line.Append("TEST_DIR=\"$dt_d/results\" ARTIFACTS_DIR=\"$dt_d/artifacts\" ");
        line.Append(Invocation(request, useSetsid, [WorkDirectoryRequest.TestDirVariable, WorkDirectoryRequest.ArtifactsDirVariable]));
        line.Append(" </dev/null; r=$?; ").Append(WorkDirectoryScript.Check).Append("; else r=$?; dt_f=x; fi; ");
        line.Append(EndMarkers("\"$r\" \"$dt_f\" \"$dt_d\""));
        return line.ToString();
    }

    private string StartMarkers() => $"printf '\\036DTS%s\\n' {Token}; printf '\\036DTS%s\\n' {Token} >&2; ";

    /// <summary>The end markers; <paramref name="report"/> are shell words printed after the token on stdout.</summary>
    private string EndMarkers(string report)
    {
        var words = report.Split(' ');
        var format = string.Join(' ', words.Select(_ => "%s"));
        return $"printf '\\036DTE%s {format}\\n' {Token} {report}; printf '\\036DTE%s\\n' {Token} >&2\n";
    }

    /// <summary><c>[setsid] /bin/sh -c '...' dt TOKEN WORDS</c>: the command in a process (group) of its own.</summary>
    private string Invocation(CommandRequest request, bool useSetsid, string[] skipped)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inner = new StringBuilder("printf '\\036DTP%s %d\\n' \"$1\" $$ >&2; shift; ");
        if (request.WorkingDirectory is { } directory)
        {
            inner.Append("cd -- ").Append(ShellQuoting.Quote(directory)).Append(" || exit 126; ");
        }

        foreach (var (name, value) in request.Environment)
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(name[0]))
            {
                throw new ArgumentException($"'{name}' is not a valid environment variable name.", nameof(request));
            }

            if (!skipped.Contains(name, StringComparer.Ordinal))
            {
                inner.Append(CultureInfo.InvariantCulture, $"export {name}=\"${ValuePrefix}{name}\"; unset {ValuePrefix}{name}; ");
            }
        }

        var words = new List<string> { "dt", Token };
        if (request.Command.ShellText is { } text)
        {
            inner.Append("eval \"$1\"");
            words.Add(text);
        }
        else
        {
            inner.Append("exec \"$@\"");
            words.AddRange(request.Command.Arguments!);
        }

        var line = new StringBuilder();
        foreach (var (name, value) in request.Environment)
        {
            if (!skipped.Contains(name, StringComparer.Ordinal))
            {
                line.Append(ValuePrefix).Append(name).Append('=').Append(ShellQuoting.Quote(value)).Append(' ');
            }
        }

        line.Append(useSetsid ? "setsid /bin/sh -c " : "/bin/sh -c ");
        line.Append(ShellQuoting.Quote(inner.ToString()));
        foreach (var word in words)
        {
            line.Append(' ').Append(ShellQuoting.Quote(word));
        }

        return line.ToString();
    }

    /// <summary>
    /// The remote command of a new channel: it reads the framed text from stdin up to the line
    /// <see cref="NewChannelEnd"/> (the shell's read takes one byte at a time from a pipe, so the rest of stdin is
    /// left for the command) and runs it.
    /// </summary>
    public string NewChannelReader() =>
        "dt_s=; while IFS= read -r dt_l; do [ \"$dt_l\" = " + NewChannelEnd + " ] && break; dt_s=\"$dt_s$dt_l\n\"; done; eval \"$dt_s\"";

    /// <summary>The line that ends the framed text on a new channel's stdin.</summary>
    public string NewChannelEnd => "DTL" + Token;

    private static byte[] Marker(string kind, string token) => Encoding.ASCII.GetBytes("\u001e" + kind + token);
}
