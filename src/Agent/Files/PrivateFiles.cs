namespace DeviceTest.Agent.Files;

/// <summary>
/// The agent's own files hold test logs, artifacts and the callback secret: its folders (state, spool, spool-failed)
/// are 0700 and its files 0600, so other local users can neither read nor change them.
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and missing parents) as 0700, or makes an existing one 0700.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
        if (File.GetUnixFileMode(path) != FolderMode)
        {
            // Made by an older agent (0755), or before the umask: tighten it.
            File.SetUnixFileMode(path, FolderMode);
        }
    }

    /// <summary>Options for a new file that only this user may read and write (<paramref name="mode"/> when given).</summary>
    public static FileStreamOptions NewFile(System.IO.FileMode mode, UnixFileMode? unixMode = null)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode ?? FileMode;
        }

        return options;
    }
}
