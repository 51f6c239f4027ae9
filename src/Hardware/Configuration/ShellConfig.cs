using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>shell</c> section: how to use the console as a shell.</summary>
public sealed class ShellConfig
{
    private const string DefaultPrompt = @"[#$] $";
    private static readonly TimeSpan DefaultBootTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] Keys = ["prompt", "login", "boot_timeout"];

    /// <summary>A regular expression matching the shell prompt at the end of the console's text.</summary>
    public string Prompt { get; init; } = DefaultPrompt;

    public LoginConfig? Login { get; init; }

    /// <summary>How long to wait for the prompt (or login) after boot.</summary>
    public TimeSpan BootTimeout { get; init; } = DefaultBootTimeout;

    /// <summary>Reads <c>shell: { prompt, login: {...}, boot_timeout }</c>.</summary>
    internal static ShellConfig Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var prompt = PromptPattern.Read(map, "prompt");
        var login = map.Mapping("login") is { } loginMap ? LoginConfig.Read(loginMap) : null;
        var bootTimeout = map.Duration("boot_timeout");
        return new ShellConfig
        {
            Prompt = prompt ?? DefaultPrompt,
            Login = login,
            BootTimeout = bootTimeout ?? DefaultBootTimeout,
        };
    }
}
