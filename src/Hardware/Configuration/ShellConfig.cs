namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>shell</c> section: how to use the console as a shell.</summary>
public sealed class ShellConfig
{
    /// <summary>A regular expression matching the shell prompt at the end of the console's text.</summary>
    public string Prompt { get; init; } = @"[#$] $";

    public LoginConfig? Login { get; init; }

    /// <summary>How long to wait for the prompt (or login) after boot.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
