using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>Console login credentials. The password is a <see cref="Secret"/> and never printed.</summary>
public sealed class LoginConfig
{
    private const string DefaultLoginPrompt = "login: ?$";
    private const string DefaultPasswordPrompt = "[Pp]assword: ?$";
    private static readonly string[] Keys = ["user", "password", "login_prompt", "password_prompt"];

    public required string User { get; init; }

    public Secret? Password { get; init; }

    /// <summary>The login prompt to wait for.</summary>
    public string LoginPrompt { get; init; } = DefaultLoginPrompt;

    /// <summary>The password prompt to wait for.</summary>
    public string PasswordPrompt { get; init; } = DefaultPasswordPrompt;

    /// <summary>
    /// Reads <c>shell.login: { user, password, login_prompt, password_prompt }</c>; null after an error. The password
    /// becomes a <see cref="Secret"/> at once and no message quotes it.
    /// </summary>
    internal static LoginConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var user = map.Text("user", required: true);
        var password = map.Text("password", allowEmpty: true);
        var loginPrompt = PromptPattern.Read(map, "login_prompt");
        var passwordPrompt = PromptPattern.Read(map, "password_prompt");
        if (user is null)
        {
            return null;
        }

        return new LoginConfig
        {
            User = user,
            Password = password is null ? null : new Secret(password),
            LoginPrompt = loginPrompt ?? DefaultLoginPrompt,
            PasswordPrompt = passwordPrompt ?? DefaultPasswordPrompt,
        };
    }
}
