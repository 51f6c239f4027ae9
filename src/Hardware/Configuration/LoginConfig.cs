namespace DeviceTest.Hardware.Configuration;

/// <summary>Console login credentials. The password is a <see cref="Secret"/> and never printed.</summary>
public sealed class LoginConfig
{
    public required string User { get; init; }

    public Secret? Password { get; init; }

    /// <summary>The login prompt to wait for.</summary>
    public string LoginPrompt { get; init; } = "login: ?$";

    /// <summary>The password prompt to wait for.</summary>
    public string PasswordPrompt { get; init; } = "[Pp]assword: ?$";
}
