using System.Text.RegularExpressions;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Consoles.Shell;

/// <summary>Logs in on a console's login prompt (<c>shell.login</c>): the user name, the password when asked, then the shell prompt.</summary>
internal sealed class ConsoleLogin
{
    private const string Incorrect = "(?<incorrect>(?i:login incorrect|authentication fail|incorrect password|permission denied))";
    private readonly string _deviceName;
    private readonly LoginConfig _login;
    private readonly Regex _afterUser;
    private readonly Regex _afterPassword;

    public ConsoleLogin(string deviceName, LoginConfig login, string prompt)
    {
        _deviceName = deviceName;
        _login = login;
        const RegexOptions options = RegexOptions.Multiline | RegexOptions.CultureInvariant;
        _afterUser = new Regex($"{Incorrect}|(?<password>{login.PasswordPrompt})|(?<login>{login.LoginPrompt})|(?<prompt>{prompt})", options);
        _afterPassword = new Regex($"{Incorrect}|(?<login>{login.LoginPrompt})|(?<prompt>{prompt})", options);
    }

    /// <summary>Answers the login prompt that was just seen; returns the shell prompt's match.</summary>
    /// <exception cref="DeviceUnreachableException">The login failed or the device did not answer.</exception>
    public async Task<Match> LogInAsync(IDeviceConsole console, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var failed = $"login failed for user {_login.User} on {_deviceName}: check shell.login in devices.yml";
        try
        {
            await console.WriteLineAsync(_login.User, cancellationToken).ConfigureAwait(false);
            var answer = await console.ExpectAsync(_afterUser, timeout, cancellationToken).ConfigureAwait(false);
            if (answer.Groups["password"].Success)
            {
                if (_login.Password is null)
                {
                    throw new DeviceUnreachableException(
                        $"login failed for user {_login.User} on {_deviceName}: the device asks for a password and shell.login has none");
                }

                // The password goes to the device only; the console log holds what the device sends back (echo is off).
                await console.WriteLineAsync(_login.Password.Value, cancellationToken).ConfigureAwait(false);
                answer = await console.ExpectAsync(_afterPassword, timeout, cancellationToken).ConfigureAwait(false);
            }

            return answer.Groups["prompt"].Success ? answer : throw new DeviceUnreachableException(failed);
        }
        catch (TimeoutException e)
        {
            throw new DeviceUnreachableException($"{failed} (no answer after sending the user name or password). {e.Message}", e);
        }
    }
}
