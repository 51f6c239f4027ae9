using DeviceTest.Agent.Files;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// Points aktualizr-lite at the agent: writes the callback script into the sota directory and
/// <c>z-90-devicetest.toml</c> (<c>[pacman] callback_program</c>) into its conf.d directory, both atomically.
/// </summary>
internal static class AktualizrSetup
{
    public const string ConfigFileName = "z-90-devicetest.toml";

    public static string ConfigPath(string confDirectory) => Path.Combine(confDirectory, ConfigFileName);

    public static string ScriptPath(string sotaDirectory) => Path.GetFullPath(Path.Combine(sotaDirectory, CallbackScript.FileName));

    /// <summary>Writes the callback script with the secret in it: mode 0700 (only its owner, root, reads or runs it).</summary>
    public static string WriteScript(string sotaDirectory, Uri callbackUrl, CallbackSecret secret)
    {
        var scriptPath = ScriptPath(sotaDirectory);
        Directory.CreateDirectory(sotaDirectory);
        DurableFile.WriteAllText(
            scriptPath,
            CallbackScript.Render(callbackUrl, secret),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return scriptPath;
    }

    /// <summary>Writes z-90-devicetest.toml pointing at the script (mode 0644, as aktualizr-lite's other conf.d files; it holds no secret).</summary>
    public static void WriteConfig(string confDirectory, string scriptPath)
    {
        Directory.CreateDirectory(confDirectory);
        DurableFile.WriteAllText(
            ConfigPath(confDirectory),
            Toml(scriptPath),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>
    /// The fragment as aktualizr reads it (boost's INI reader, then every <c>"</c> removed from the value): the path is
    /// written as it is between quotes (which keep blanks at its ends), without escapes, which aktualizr does not undo.
    /// A path with a <c>"</c> or a line break cannot be given to aktualizr at all (a sota directory has neither).
    /// </summary>
    public static string Toml(string callbackProgram) =>
        "# Written by 'devicetest agent' at every start: aktualizr-lite runs the agent's callback script.\n" +
        "# Remove this file when the agent is uninstalled, then restart aktualizr-lite.\n" +
        "[pacman]\n" +
        $"callback_program = \"{callbackProgram}\"\n";
}
