using System.Globalization;
using System.Text;

namespace DeviceTest.Hardware.Consoles.Shell;

/// <summary>
/// What a console shell is sent for a command, so that the command arrives byte for byte and can be stopped without
/// the terminal's signals (which a shell without job control, such as busybox on a console, never delivers).
/// </summary>
/// <remarks>
/// <para>
/// The command (with its <c>cd</c> and environment) is typed as assignments to a shell variable, in lines of at most
/// <see cref="MaxLine"/> characters (below the terminal's 4095-byte canonical line limit and a line editor's 1024):
/// printable ASCII goes as single-quoted text (newlines inside the quotes, a single quote as <c>'\''</c>); tabs,
/// control bytes and non-ASCII bytes go as <c>printf</c> octal escapes, decoded on the device. So the terminal and a
/// line-editing shell only ever see printable ASCII and newlines, never a character they would interpret.
/// </para>
/// <para>
/// The whole is one <c>{ ...; }</c> group, so the shell prints no prompt in between. It starts the command in the
/// background in a session and process group of its own (<c>setsid /bin/sh -c</c>, as over SSH), which prints
/// <c>DTS_&lt;id&gt;_&lt;pid&gt;</c>, runs the command in a subshell with stdin from /dev/null, and prints
/// <see cref="EndMarker"/><c>&lt;id&gt;_&lt;exit code&gt;</c>; its output goes to the console as before. The foreground shell then reads
/// one line from the console: an empty line when the command has ended, or <see cref="StopLine"/> (optionally with the
/// process group's id), on which it sends SIGTERM to the group, waits up to the grace period for it to be gone (no
/// process of the group running, <see cref="Setup"/>), sends SIGKILL, waits for the background shell to exit and
/// prints <c>DTY_&lt;id&gt;</c>.
/// </para>
/// <para>
/// That wait matters: the background shell prints its end marker just before it exits, and on a loaded board it may
/// exit only after the foreground shell went back to reading the console. busybox sh (ash) with the echo off reads its
/// input with stdio, and the SIGCHLD of that exit interrupts the read, which ash takes for the end of input: at the
/// prompt the shell exits (init respawns a fresh one, echo on, and the next command's typed text is lost), in the middle
/// of the next typed command it is a syntax error. Reaped before <c>DTY_</c>, the shell has no child left to signal it.
/// </para>
/// </remarks>
internal static class ConsoleCommandScript
{
    public const string StartTag = "DTS_";
    public const string EndTag = "DTE_";
    public const string SyncTag = "DTY_";
    public const string ReadyTag = "DTR_";

    /// <summary>
    /// What the end marker starts with: a record separator (\036), a newline and <see cref="EndTag"/>. The newline ends
    /// any escape sequence the output left unfinished and puts the marker on a line of its own; the record separator
    /// before it means a newline at the end of the text read so far is output, not maybe the marker's, so a line's
    /// newline is passed on as soon as it comes (<see cref="ConsoleOutputRelay"/>).
    /// </summary>
    public const string EndMarker = "\u001e\n" + EndTag;

    /// <summary>The longest line typed (the terminal's canonical limit is 4095 bytes, busybox's line editor 1024).</summary>
    public const int MaxLine = 900;

    private const string Variable = "DT_S";
    private const int OctalBytesPerLine = 200;

    /// <summary>
    /// Typed once when the shell is ready: echo off where stty exists (the markers work either way), no continuation
    /// prompts, no job control (a background command stays in the shell's group, so setsid gives it a group of its own
    /// without forking), and <c>dt_live PGID</c>, true while a process of the group runs: a zombie does not count (an
    /// orphan waits for init to reap it, and some inits never do), so the stop need not wait out the grace period.
    /// </summary>
    public const string Setup =
        "stty -echo 2>/dev/null; PS2=''; set +m 2>/dev/null; " +
        "dt_live() { dt_pg=$1; for dt_f in /proc/[0-9]*/stat; do dt_x=; read -r dt_x < \"$dt_f\" 2>/dev/null; [ -n \"$dt_x\" ] || continue; " +
        "set -- ${dt_x##*\")\"}; [ \"$3\" = \"$dt_pg\" ] && [ \"$1\" != Z ] && return 0; done; return 1; }";

    /// <summary>Prints <c>DTR_&lt;id&gt;_1</c> when the device has setsid, <c>_0</c> when not.</summary>
    public static string SetsidProbe(string id) =>
        $"if command -v setsid >/dev/null 2>&1; then printf '%s%s_1\\n' {ReadyTag} {id}; else printf '%s%s_0\\n' {ReadyTag} {id}; fi";

    /// <summary>The text typed to run <paramref name="request"/> (ends with a newline).</summary>
    /// <param name="request">The command, its working directory and environment.</param>
    /// <param name="id">The command's marker id.</param>
    /// <param name="setsid">Whether the device has setsid (else only the command's shell can be stopped).</param>
    public static string Run(CommandRequest request, string id, bool setsid)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder("{ ").Append(Variable).Append("=\n");
        AppendAssignments(text, InnerScript(request));
        var wrapper = $"i=$DT_I; c=${Variable}; unset DT_I {Variable}; printf \"%s%s_%s\\n\" {StartTag} \"$i\" \"$$\"; " +
            $"(eval \"$c\") </dev/null; printf \"\\036\\n%s%s_%s\\n\" {EndTag} \"$i\" \"$?\"";
        var group = setsid ? "-" : string.Empty;
        var alive = setsid ? "dt_live $dt_g 2>/dev/null" : "kill -0 $dt_g 2>/dev/null";
        var checks = string.Join(' ', Enumerable.Range(1, StopChecks(request.KillGracePeriod)).Select(n => n.ToString(CultureInfo.InvariantCulture)));
        text.Append(CultureInfo.InvariantCulture, $"{Variable}=${Variable} DT_I={id} {(setsid ? "setsid " : string.Empty)}/bin/sh -c '{wrapper}' </dev/null &\n")
            .Append(CultureInfo.InvariantCulture, $"dt_p=$!; unset {Variable} DT_T\n")
            .Append("IFS= read -r dt_l\n")
            .Append("case $dt_l in K*) dt_g=${dt_l#K}; dt_g=${dt_g# }; [ -n \"$dt_g\" ] || dt_g=$dt_p; ")
            .Append(CultureInfo.InvariantCulture, $"kill -TERM {group}$dt_g 2>/dev/null; ")
            .Append(CultureInfo.InvariantCulture, $"for dt_n in {checks}; do {alive} || break; sleep 0.1 2>/dev/null || {{ sleep 1; break; }}; done; ")
            .Append(CultureInfo.InvariantCulture, $"kill -KILL {group}$dt_g 2>/dev/null;; esac\n")
            .Append("wait $dt_p 2>/dev/null\n")
            .Append(CultureInfo.InvariantCulture, $"printf '%s%s\\n' {SyncTag} {id}\n")
            .Append("}\n");
        return text.ToString();
    }

    /// <summary>The text typed to run <paramref name="command"/> in the foreground shell itself (a reboot command, which may exec).</summary>
    public static string Foreground(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = new StringBuilder("{ ").Append(Variable).Append("=\n");
        AppendAssignments(text, command);
        text.Append(CultureInfo.InvariantCulture, $"DT_R=${Variable}; unset {Variable} DT_T; eval \"$DT_R\"\n}}\n");
        return text.ToString();
    }

    /// <summary>The line that stops the running command (its process group <paramref name="processGroup"/> when known).</summary>
    public static string Stop(int? processGroup) =>
        processGroup is { } id ? string.Create(CultureInfo.InvariantCulture, $"K {id}\n") : "K\n";

    /// <summary>The line that tells the foreground shell the command has ended.</summary>
    public static string Ended => "\n";

    /// <summary>The line that makes the foreground shell stop the command.</summary>
    public static string StopLine => "K";

    /// <summary>The command with its working directory and environment, as one shell script.</summary>
    internal static string InnerScript(CommandRequest request)
    {
        var inner = new StringBuilder();
        if (request.WorkingDirectory is { } directory)
        {
            inner.Append("cd ").Append(ShellQuoting.Quote(directory)).Append(" || exit 1\n");
        }

        foreach (var (name, value) in request.Environment)
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(name[0]))
            {
                throw new ArgumentException($"environment variable name '{name}' is not a valid shell name", nameof(request));
            }

            inner.Append("export ").Append(name).Append('=').Append(ShellQuoting.Quote(value)).Append('\n');
        }

        return inner.Append(request.Command.ToShellString()).Append('\n').ToString();
    }

    /// <summary>Appends lines that add <paramref name="value"/>'s bytes to the variable, each line under <see cref="MaxLine"/>.</summary>
    internal static void AppendAssignments(StringBuilder into, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var i = 0;
        while (i < bytes.Length)
        {
            if (IsTyped(bytes[i]))
            {
                // Single-quoted text; a newline may be inside (the shell reads on), a line never grows past MaxLine.
                into.Append(Variable).Append("=$").Append(Variable).Append('\'');
                var line = Variable.Length * 2 + 3;
                while (i < bytes.Length && IsTyped(bytes[i]) && line < MaxLine - 8)
                {
                    var b = bytes[i++];
                    if (b == (byte)'\'')
                    {
                        into.Append("'\\''");
                        line += 4;
                    }
                    else
                    {
                        into.Append((char)b);
                        line = b == (byte)'\n' ? 0 : line + 1;
                    }
                }

                into.Append("'\n");
            }
            else
            {
                // printf octal escapes; $(...) drops trailing newlines, so one 'x' more is printed and cut off.
                into.Append("DT_T=$(printf '");
                for (var n = 0; n < OctalBytesPerLine && i < bytes.Length && !IsTyped(bytes[i]); n++)
                {
                    into.Append('\\').Append(Convert.ToString(bytes[i++], 8).PadLeft(3, '0'));
                }

                into.Append("'; printf x); ").Append(Variable).Append("=$").Append(Variable).Append("${DT_T%x}\n");
            }
        }
    }

    /// <summary>How many times the stop checks (every 0.1 s) whether the process group is gone before SIGKILL.</summary>
    private static int StopChecks(TimeSpan grace) => Math.Clamp((int)Math.Ceiling(grace.TotalSeconds * 10), 1, 300);

    /// <summary>Bytes that travel as typed text: printable ASCII (a quote included, as '\'') and the newline.</summary>
    private static bool IsTyped(byte b) => b is >= 0x20 and <= 0x7e or (byte)'\n';
}
