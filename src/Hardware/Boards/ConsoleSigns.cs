using System.Text.RegularExpressions;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles.Shell;

namespace DeviceTest.Hardware.Boards;

/// <summary>What the boot strategies look for on a console.</summary>
internal static class ConsoleSigns
{
    private const RegexOptions Options = RegexOptions.Multiline | RegexOptions.CultureInvariant;

    /// <summary>Console text that shows a reboot is under way (as <see cref="Consoles.Shell.ConsoleShell.RebootSignal"/>).</summary>
    public static readonly Regex RebootSignal = new(
        @"(?i:restarting system|system is going down|requesting system reboot|rebooting|U-Boot \d|Linux version \d|Booting Linux|Starting kernel)",
        Options);

    /// <summary>Everything the console holds: matching it forgets what was printed before.</summary>
    public static readonly Regex AllText = new(@"[\s\S]*\z", RegexOptions.CultureInvariant);

    /// <summary>What the console shows when the board has booted (the shell or login prompt), or null without a <c>shell</c> section.</summary>
    public static Regex? Booted(ShellConfig? shell) =>
        shell is null
            ? null
            : shell.Login is { } login
                ? new Regex($"(?:{login.LoginPrompt})|(?:{shell.Prompt})", Options)
                : new Regex(shell.Prompt, Options);
}
