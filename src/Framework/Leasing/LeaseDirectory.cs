using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace DeviceTest.Framework.Leasing;

/// <summary>
/// The folder of device locks shared by every DeviceTest run of this user on this machine:
/// <c>$XDG_RUNTIME_DIR/devicetest/leases</c>, else <c>&lt;temp&gt;/devicetest-leases-&lt;user&gt;</c>.
/// One <c>&lt;device&gt;.lock</c> per device, plus <c>&lt;device&gt;.owner</c> naming the holder for messages.
/// </summary>
/// <remarks>
/// The temp fallback has a name anyone can guess, so the folder is private: created 0700 (files 0600), and used only
/// when it is a real folder (never a symbolic link) owned by this user that no one else can write to; otherwise the
/// run is refused with what to do (<see cref="UnauthorizedAccessException"/>). Lock and owner files that are symbolic
/// links are refused too. A folder of ours from an older DeviceTest (0755) is tightened to 0700.
/// </remarks>
public sealed class LeaseDirectory(string path)
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private volatile bool _checked;

    public string Path { get; } = path;

    public static LeaseDirectory Default()
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var path = !string.IsNullOrEmpty(runtime) && Directory.Exists(runtime)
            ? System.IO.Path.Combine(runtime, "devicetest", "leases")
            : System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"devicetest-leases-{FileName(Environment.UserName)}");
        return new LeaseDirectory(path);
    }

    /// <summary>Takes the device's lock, or returns null at once when another process (or lease) holds it.</summary>
    /// <exception cref="UnauthorizedAccessException">The folder (or a file in it) is not this user's private one.</exception>
    public LockFileLease? TryAcquire(string deviceName)
    {
        EnsurePrivate();
        var lockPath = System.IO.Path.Combine(Path, FileName(deviceName) + ".lock");
        var ownerPath = System.IO.Path.Combine(Path, FileName(deviceName) + ".owner");
        RefuseLink(lockPath);
        RefuseLink(ownerPath);
        FileStream stream;
        try
        {
            stream = Open(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        }
        catch (IOException)
        {
            return null;
        }

        try
        {
            using var owner = Open(ownerPath, FileMode.Create, FileAccess.Write);
            owner.Write(Encoding.UTF8.GetBytes(string.Create(
                CultureInfo.InvariantCulture,
                $"process {Environment.ProcessId} since {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss}")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the note only improves the "waiting for" message.
        }

        return new LockFileLease(deviceName, stream, ownerPath);
    }

    /// <summary>Who holds the device, as the holder wrote it ("process 1234 since ..."), or null.</summary>
    public string? DescribeHolder(string deviceName)
    {
        try
        {
            var text = File.ReadAllText(System.IO.Path.Combine(Path, FileName(deviceName) + ".owner")).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The devices that have a lock file here, by their file names (characters other than letters, digits,
    /// '-', '_' and '.' are '_' there).</summary>
    public IReadOnlyList<string> DeviceNames()
    {
        if (!Directory.Exists(Path))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(Path, "*.lock").Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether a live process holds the device's lock (probed by taking it for a moment).</summary>
    public bool IsHeld(string deviceName)
    {
        using var probe = TryAcquire(deviceName);
        return probe is null;
    }

    /// <summary>
    /// Removes the device's lock and owner files, held or not: the next run takes a new lock. A process that still
    /// holds the old one is not told (an operator's last resort; ending that process is the better fix).
    /// </summary>
    public void Remove(string deviceName)
    {
        foreach (var extension in (string[])[".lock", ".owner"])
        {
            try
            {
                File.Delete(System.IO.Path.Combine(Path, FileName(deviceName) + extension));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LeaseStoreException($"cannot remove the lock of device '{deviceName}' in {Path}: {e.Message}", e);
            }
        }
    }

    private static FileStream Open(string path, FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        return new FileStream(path, options);
    }

    private static string FileName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }

    /// <summary>Creates the folder (0700) or checks the one there: ours, private, not a link.</summary>
    private void EnsurePrivate()
    {
        if (_checked)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
            _checked = true;
            return;
        }

        if (Entry.Of(Path) is null)
        {
            Directory.CreateDirectory(Path, PrivateFolder);
        }

        var entry = Entry.Of(Path) ?? throw Refused("it vanished while it was being created");
        if (entry.IsLink)
        {
            var target = new FileInfo(Path).LinkTarget;
            throw Refused($"it is a symbolic link (to {target}), which another user may have planted to redirect DeviceTest's lock files. Remove it");
        }

        if (!entry.IsDirectory)
        {
            throw Refused("it is not a folder. Remove it");
        }

        if (entry.Owner is { } owner && owner != Native.EffectiveUserId())
        {
            throw Refused(string.Create(CultureInfo.InvariantCulture,
                $"it belongs to user id {owner}, not to you (user id {Native.EffectiveUserId()}): another user may have made it to see or redirect DeviceTest's lock files. Remove it"));
        }

        if ((entry.Mode & OthersWrite) != 0)
        {
            throw Refused(string.Create(CultureInfo.InvariantCulture,
                $"others can write to it (mode {Convert.ToString((int)entry.Mode, 8)}), so its files may have been planted. Remove it"));
        }

        if ((entry.Mode & ~PrivateFolder) != 0)
        {
            File.SetUnixFileMode(Path, PrivateFolder);
        }

        _checked = true;
    }

    private static void RefuseLink(string file)
    {
        if (!OperatingSystem.IsWindows() && Entry.Of(file) is { IsLink: true })
        {
            throw new UnauthorizedAccessException(
                $"DeviceTest: the device lock {file} is a symbolic link; DeviceTest never follows links there. Remove it.");
        }
    }

    private UnauthorizedAccessException Refused(string why) => new(
        $"DeviceTest: cannot use the device lease folder {Path}: {why} (or set XDG_RUNTIME_DIR to your own private folder, " +
        "e.g. /run/user/<uid>).");

    /// <summary>What lstat says about a path (never following a link); <see cref="Owner"/> is known on Linux only.</summary>
    private sealed record Entry(bool IsLink, bool IsDirectory, UnixFileMode Mode, uint? Owner)
    {
        public static Entry? Of(string path)
        {
            if (OperatingSystem.IsLinux())
            {
                return Native.Lstat(path);
            }

            var info = new FileInfo(path);
            if (!info.Exists && !Directory.Exists(path) && info.LinkTarget is null)
            {
                return null;
            }

            return new Entry(info.LinkTarget is not null, info.Attributes.HasFlag(FileAttributes.Directory), info.UnixFileMode, null);
        }
    }

    /// <summary>
    /// lstat through <c>statx(2)</c>, whose layout is the same on every Linux architecture (struct stat is not), and
    /// the effective user id. .NET has no API for a file's owner.
    /// </summary>
    private static class Native
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const uint StatxType = 0x1;
        private const uint StatxMode = 0x2;
        private const uint StatxUid = 0x8;
        private const int NoEntry = 2;
        private const int NotDirectory = 20;
        private const ushort TypeMask = 0xF000;
        private const ushort TypeLink = 0xA000;
        private const ushort TypeDirectory = 0x4000;

        public static uint EffectiveUserId() => Geteuid();

        public static Entry? Lstat(string path)
        {
            if (Statx(AtFdCwd, Encoding.UTF8.GetBytes(path + "\0"), AtSymlinkNoFollow, StatxType | StatxMode | StatxUid, out var buffer) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is NoEntry or NotDirectory)
                {
                    return null;
                }

                throw new IOException($"cannot check {path} (statx errno {errno})");
            }

            var type = (ushort)(buffer.Mode & TypeMask);
            return new Entry(type == TypeLink, type == TypeDirectory, (UnixFileMode)(buffer.Mode & 0xFFF), buffer.Uid);
        }

        // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, which this project does not allow.
        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int Statx(int directory, byte[] path, int flags, uint mask, out StatxBuffer buffer);

        [DllImport("libc", EntryPoint = "geteuid")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern uint Geteuid();

        /// <summary>The start of struct statx (256 bytes in all).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        private struct StatxBuffer
        {
            [FieldOffset(20)]
            public uint Uid;

            [FieldOffset(28)]
            public ushort Mode;
        }
    }
}
