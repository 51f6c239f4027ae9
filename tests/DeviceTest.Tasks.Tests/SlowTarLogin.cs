using System.Diagnostics;
using System.Globalization;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Tasks.Tests;

/// <summary>
/// A second login to the SSH board: its own key, the same real sshd, but every session finds a slow <c>tar</c> first
/// on its PATH. That tar hands the archive to the real one at most 64 KiB every 0.1 s (640 KiB/s at best, slower on a
/// busy machine), so a deploy through this login that has started cannot finish before the test cancels it, however
/// loaded the machine is. When the SSH channel closes (the deploy was cancelled), the slow tar sees the end of its
/// input at once and the real tar fails on the cut archive, as it would without the shim.
/// The key goes into the board's authorized_keys with a forced command (which puts the shim on PATH and runs the
/// requested command); <see cref="Dispose"/> takes it out again.
/// </summary>
internal sealed class SlowTarLogin : IDisposable
{
    /// <summary>Upper bound of the shim's rate, in bytes per second.</summary>
    public const long MaxBytesPerSecond = 64 * 1024 * 10;

    private readonly string _authorizedKeys;
    private readonly string _line;

    private SlowTarLogin(string authorizedKeys, string line, string identityFile)
    {
        _authorizedKeys = authorizedKeys;
        _line = line;
        IdentityFile = identityFile;
    }

    /// <summary>The client key for this login.</summary>
    public string IdentityFile { get; }

    /// <summary>Writes the shim, the login wrapper and a key under <paramref name="directory"/> and authorizes the key on <paramref name="board"/>.</summary>
    public static async Task<SlowTarLogin> CreateAsync(SshBoard board, string directory)
    {
        var realTar = LabRequirement.FindProgram("tar") ?? throw new InvalidOperationException("no tar on PATH");
        var shim = Path.Combine(directory, "slow-tar-bin");
        Directory.CreateDirectory(shim);
        WriteScript(Path.Combine(shim, "tar"), $$"""
            #!/bin/sh
            # The cancel test's tar: passes the archive on to the real tar at most 64 KiB every 0.1 s.
            feed() {
            	while :; do
            		records=$(dd bs=65536 count=1 iflag=fullblock 2>&1 >&3 | sed -n 's/ records in$//p')
            		[ "$records" = 0+0 ] && return 0
            		[ -n "$records" ] || return 1
            		sleep 0.1
            	done
            }
            feed 3>&1 | '{{realTar}}' "$@"

            """);
        var login = Path.Combine(directory, "slow-tar-login");
        WriteScript(login, $$"""
            #!/bin/sh
            # Forced command of the cancel test's key: the requested command, with the slow tar first on PATH. Run by
            # /bin/sh, which reads no rc file that could reorder PATH (root's .bashrc prepends to it).
            PATH='{{shim}}':$PATH
            export PATH
            [ -n "${SSH_ORIGINAL_COMMAND+x}" ] || exec /bin/sh
            exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"

            """);

        var key = Path.Combine(directory, "slow-tar-key");
        using (var keygen = Process.Start(new ProcessStartInfo("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-C", "devicetest-slow-tar", "-f", key])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!)
        {
            var error = keygen.StandardError.ReadToEndAsync();
            await keygen.StandardOutput.ReadToEndAsync();
            await keygen.WaitForExitAsync();
            Assert.AreEqual(0, keygen.ExitCode, $"ssh-keygen failed: {await error}");
        }

        var authorizedKeys = Path.Combine(board.Directory, "authorized_keys");
        var publicKey = (await File.ReadAllTextAsync(key + ".pub")).Trim();
        var line = string.Create(CultureInfo.InvariantCulture, $"command=\"{login}\" {publicKey}\n");
        await File.AppendAllTextAsync(authorizedKeys, line);
        return new SlowTarLogin(authorizedKeys, line, key);
    }

    public void Dispose() =>
        File.WriteAllText(_authorizedKeys, File.ReadAllText(_authorizedKeys).Replace(_line, string.Empty, StringComparison.Ordinal));

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
