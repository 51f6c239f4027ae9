using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// Where a device's ControlMaster socket lives. Shared (the default): one socket per user and connection settings
/// (host, port, user, identity, options, connect timeout) in a private (0700) folder of the user's, so every DeviceTest
/// process of one run (MSBuild's deploy, the test host, <c>devicetest</c>) rides one SSH connection and logs in once.
/// A lock file next to the socket makes sure two processes never start a master for it at the same time.
/// Private: a 0700 folder of this device object alone, removed with it, when sharing is off
/// (<c>DEVICETEST_SSH_SHARE=0</c>) or no shared folder can be used. See docs/ssh.md.
/// </summary>
internal sealed class SshControlSocket : IDisposable
{
    /// <summary>The environment variable that turns sharing off (<c>0</c>).</summary>
    public const string ShareVariable = "DEVICETEST_SSH_SHARE";

    // Unix socket paths hold ~104 bytes, and ssh binds a temporary name (the path plus 17 characters) first.
    private const int MaxDirectoryLength = 64;
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(20);

    private SshControlSocket(string path, bool shared)
    {
        Path = path;
        IsShared = shared;
    }

    /// <summary>The control socket's path.</summary>
    public string Path { get; }

    /// <summary>True when other processes may use (and may have started) the master on this socket.</summary>
    public bool IsShared { get; }

    /// <summary>What connections learned about the device, kept for the next one (shared sockets only).</summary>
    public SshDeviceFacts? Facts => IsShared ? new SshDeviceFacts(Path + ".facts") : null;

    /// <summary>The socket for a device's connection settings.</summary>
    public static SshControlSocket For(SshConfig config, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Environment.GetEnvironmentVariable(ShareVariable) != "0" && SharedDirectory() is { } directory)
        {
            return new SshControlSocket(System.IO.Path.Combine(directory, Key(config, baseDirectory)), shared: true);
        }

        return new SshControlSocket(System.IO.Path.Combine(PrivateDirectory(), "m"), shared: false);
    }

    /// <summary>
    /// Holds the socket's lock (an OS file lock: freed when the process dies) until disposed; waits up to
    /// <paramref name="timeout"/> for another process that holds it. A private socket needs no lock.
    /// </summary>
    public async Task<IDisposable?> LockAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IsShared)
        {
            return null;
        }

        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock(2) on Linux and macOS.
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(LockPoll, cancellationToken);
            }
        }
    }

    /// <summary>Removes a private socket's folder (a shared one stays for the other processes).</summary>
    public void Dispose()
    {
        if (IsShared)
        {
            return;
        }

        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A short hash of everything that makes one connection differ from another.</summary>
    internal static string Key(SshConfig config, string baseDirectory)
    {
        var identity = config.Identity;
        if (identity is not null && !System.IO.Path.IsPathRooted(identity) && !identity.StartsWith('~'))
        {
            identity = System.IO.Path.GetFullPath(identity, baseDirectory);
        }

        var text = new StringBuilder("devicetest-ssh-1\n")
            .Append(config.Host).Append('\n')
            .Append(config.Port?.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(config.User).Append('\n')
            .Append(identity).Append('\n')
            .Append(config.ConnectTimeout.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (key, value) in config.Options)
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 10);
    }

    /// <summary>
    /// <c>$XDG_RUNTIME_DIR/devicetest/ssh</c> (the user's own, 0700, cleared at logout), else
    /// <c>~/.cache/devicetest/ssh</c>; made 0700. Null when neither is usable or the path is too long for sockets.
    /// </summary>
    private static string? SharedDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var home = Environment.GetEnvironmentVariable("HOME");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(runtime) && System.IO.Path.IsPathRooted(runtime) && Directory.Exists(runtime))
        {
            candidates.Add(System.IO.Path.Combine(runtime, "devicetest", "ssh"));
        }

        if (!string.IsNullOrEmpty(home) && System.IO.Path.IsPathRooted(home) && Directory.Exists(home))
        {
            candidates.Add(System.IO.Path.Combine(home, ".cache", "devicetest", "ssh"));
        }

        foreach (var candidate in candidates.Where(c => c.Length <= MaxDirectoryLength))
        {
            try
            {
                Directory.CreateDirectory(candidate, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

                // Only the owner (or root) may chmod: a folder someone else made is refused here, and ours gets 0700
                // whatever the umask or an earlier version left.
                File.SetUnixFileMode(candidate, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                return candidate;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    private static string PrivateDirectory()
    {
        var root = System.IO.Path.GetTempPath();
        if (root.Length > 60)
        {
            root = "/tmp";
        }

        var path = System.IO.Path.Combine(root, "dt-ssh-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
