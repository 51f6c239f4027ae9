using System.Globalization;

namespace DeviceTest.Lab.Serial;

/// <summary>
/// A "serial board" on this machine: socat makes a pty pair, a POSIX shell (prompt <c>board# </c>) runs as an
/// interactive shell on one end, and <see cref="TtyPath"/> is the other end. With job control (the default) the pty
/// is the shell's controlling terminal and Ctrl+C sent on the tty reaches the shell's foreground command; without, the
/// shell has no controlling terminal ("can't access tty; job control turned off", as busybox on a console) and
/// Ctrl+C reaches nothing. With a user name, a small login script asks <c>board login: </c> and <c>Password: </c>
/// first and checks them.
/// </summary>
public sealed class PtyShellBoard : IAsyncDisposable
{
    private readonly LabProcess _socat;

    private PtyShellBoard(string directory, string ttyPath, string startScript, LabProcess socat)
    {
        Directory = directory;
        TtyPath = ttyPath;
        StartScript = startScript;
        _socat = socat;
    }

    /// <summary>The prompt the board's shell prints.</summary>
    public const string Prompt = "board# ";

    /// <summary>A regular expression for <see cref="Prompt"/> (for <c>shell.prompt</c>).</summary>
    public const string PromptPattern = "board# $";

    /// <summary>The board's temporary directory (its shell's working directory and HOME).</summary>
    public string Directory { get; }

    /// <summary>The tty the board's console is on (a symlink to a /dev/pts entry).</summary>
    public string TtyPath { get; }

    /// <summary>The script the console starts with (login, then the shell): <c>exec</c> it to "reboot" the board.</summary>
    public string StartScript { get; }

    /// <summary>True while socat runs.</summary>
    public bool IsRunning => !_socat.HasExited;

    /// <summary>Starts a board.</summary>
    /// <param name="user">Ask for this user name (and <paramref name="password"/>) first; null: no login.</param>
    /// <param name="password">The password.</param>
    /// <param name="jobControl">Whether the pty is the shell's controlling terminal.</param>
    /// <param name="environment">Variables the board's shell exports (e.g. a private TMPDIR).</param>
    /// <param name="shell">The interactive shell's command (run with <c>-i</c>): this machine's /bin/sh, or e.g. <c>busybox sh</c> as on most boards.</param>
    public static async Task<PtyShellBoard> StartAsync(
        string? user = null, string? password = null, bool jobControl = true, IReadOnlyDictionary<string, string>? environment = null,
        string shell = "/bin/sh")
    {
        LabRequirement.Programs("socat");
        var directory = Path.Combine(Path.GetTempPath(), "devicetest-pty-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(directory);
        var shellScript = Path.Combine(directory, "shell.sh");
        var startScript = shellScript;
        await File.WriteAllTextAsync(shellScript, $"""
            #!/bin/sh
            export PS1='{Prompt}'
            export HOME={LabProcess.ShellQuote(directory)}
            {string.Concat((environment ?? new Dictionary<string, string>()).Select(pair => $"export {pair.Key}={LabProcess.ShellQuote(pair.Value)}\n"))}
            cd "$HOME"
            exec {shell} -i

            """).ConfigureAwait(false);
        if (user is not null)
        {
            startScript = Path.Combine(directory, "login.sh");
            await File.WriteAllTextAsync(startScript, $"""
                #!/bin/sh
                while :; do
                  printf 'board login: '
                  IFS= read -r user || exit 0
                  [ -n "$user" ] || continue
                  stty -echo
                  printf 'Password: '
                  IFS= read -r pass || exit 0
                  stty echo
                  printf '\n'
                  if [ "$user" = {LabProcess.ShellQuote(user)} ] && [ "$pass" = {LabProcess.ShellQuote(password ?? string.Empty)} ]; then
                    printf 'Welcome to the board\n'
                    exec /bin/sh {LabProcess.ShellQuote(shellScript)}
                  fi
                  sleep 0.2
                  printf 'Login incorrect\n'
                done

                """).ConfigureAwait(false);
        }

        var tty = Path.Combine(directory, "tty");
        var socat = LabProcess.Start("socat",
        [
            "-d", "-d",
            $"pty,raw,echo=0,link={tty}",
            jobControl ? $"EXEC:/bin/sh {startScript},pty,stderr,setsid,sigint,sane,ctty" : $"EXEC:/bin/sh {startScript},pty,stderr,setsid,sane",
        ], Path.Combine(directory, "socat.log"), directory);
        var board = new PtyShellBoard(directory, tty, startScript, socat);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!File.Exists(tty))
            {
                if (socat.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException(
                        string.Create(CultureInfo.InvariantCulture, $"socat did not create the pty {tty}: {socat.ReadLog()}"));
                }

                await Task.Delay(20).ConfigureAwait(false);
            }
        }
        catch
        {
            await board.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return board;
    }

    /// <summary>Kills socat (and the shell behind it): the pty goes away, as when a USB serial adapter is pulled.</summary>
    public Task KillAsync() => _socat.KillAsync();

    /// <summary>socat's log, for test failure messages.</summary>
    public string ReadLog() => _socat.ReadLog();

    public async ValueTask DisposeAsync()
    {
        await _socat.KillAsync().ConfigureAwait(false);
        _socat.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
