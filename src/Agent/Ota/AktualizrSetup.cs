namespace DeviceTest.Agent.Ota;

/// <summary>
/// Points aktualizr-lite at the agent: writes the callback script into the sota directory and
/// <c>z-90-devicetest.toml</c> (<c>[pacman] callback_program</c>) into its conf.d directory, both atomically.
/// </summary>
internal static class AktualizrSetup
{
    public const string ConfigFileName = "z-90-devicetest.toml";

    /// <summary>Writes both files; true when the toml did not exist before (the first start after install).</summary>
    public static bool Write(string sotaDirectory, string confDirectory, Uri callbackUrl)
    {
        var scriptPath = Path.GetFullPath(Path.Combine(sotaDirectory, CallbackScript.FileName));
        AtomicFile.WriteAllText(
            scriptPath,
            CallbackScript.Render(callbackUrl),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var configPath = Path.Combine(confDirectory, ConfigFileName);
        var firstStart = !File.Exists(configPath);
        AtomicFile.WriteAllText(configPath, Toml(scriptPath));
        return firstStart;
    }

    public static string Toml(string callbackProgram) =>
        "# Written by 'devicetest agent' at every start: aktualizr-lite runs the agent's callback script.\n" +
        "# Remove this file when the agent is uninstalled, then restart aktualizr-lite.\n" +
        "[pacman]\n" +
        $"callback_program = \"{TomlEscape(callbackProgram)}\"\n";

    private static string TomlEscape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
