namespace DeviceTest.Hardware.Ssh;

/// <summary>Turns ssh's own error output into messages a user can act on.</summary>
internal static class SshErrors
{
    /// <summary>Errors that will not go away by waiting (bad key, wrong user, changed host key, unknown host name).</summary>
    public static bool IsPermanent(string sshError) =>
        Contains(sshError, "Permission denied") ||
        Contains(sshError, "Host key verification failed") ||
        Contains(sshError, "IDENTIFICATION HAS CHANGED") ||
        Contains(sshError, "Could not resolve hostname") ||
        Contains(sshError, "Too many authentication failures") ||
        Contains(sshError, "Load key") ||
        Contains(sshError, "Bad configuration option") ||
        Contains(sshError, "bad port") ||
        Contains(sshError, "Bad owner or permissions");

    public static DeviceUnreachableException Unreachable(SshArguments arguments, string sshError, Exception? inner = null)
    {
        var line = MainLine(sshError).TrimEnd('.');
        var message =
            $"device '{arguments.DeviceName}' is unreachable over ssh ({Describe(arguments)}): {line}. {Hint(arguments, sshError)}";
        return inner is null ? new DeviceUnreachableException(message) : new DeviceUnreachableException(message, inner);
    }

    public static string Describe(SshArguments arguments)
    {
        var target = string.IsNullOrEmpty(arguments.EffectiveTarget) ? arguments.Target : arguments.EffectiveTarget;
        return arguments.Identity is null ? target : $"{target}, identity {arguments.Identity}";
    }

    /// <summary>The line of ssh's output that says what went wrong (the last non-empty one).</summary>
    public static string MainLine(string sshError)
    {
        var lines = sshError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var important = lines.LastOrDefault(l =>
            l.Contains("Permission denied", StringComparison.Ordinal) ||
            l.Contains("verification failed", StringComparison.Ordinal) ||
            l.Contains("IDENTIFICATION HAS CHANGED", StringComparison.Ordinal));
        return important ?? lines.LastOrDefault() ?? "ssh failed without saying why";
    }

    private static string Hint(SshArguments arguments, string sshError)
    {
        if (Contains(sshError, "Permission denied") || Contains(sshError, "Too many authentication failures"))
        {
            return "The device refused the login: check ssh.user and ssh.identity (is the key's .pub in the device's authorized_keys?).";
        }

        if (Contains(sshError, "Host key verification failed") || Contains(sshError, "IDENTIFICATION HAS CHANGED"))
        {
            return $"The device's host key is not the one in known_hosts (reflashed?): remove the old one with ssh-keygen -R '[{arguments.Config.Host}]:{arguments.Config.Port ?? 22}', " +
                "or for throw-away lab boards set ssh.options { StrictHostKeyChecking: no, UserKnownHostsFile: /dev/null } (see docs/ssh.md).";
        }

        if (Contains(sshError, "Connection refused"))
        {
            return "Nothing accepts connections there: is sshd running on the device, and is ssh.port right?";
        }

        if (Contains(sshError, "Could not resolve hostname"))
        {
            return "Check ssh.host (or the Host entry in your ssh_config).";
        }

        if (Contains(sshError, "timed out") || Contains(sshError, "No route to host") || Contains(sshError, "Network is unreachable"))
        {
            return "Is the device powered, booted and on the network? Check ssh.host and ssh.port; ssh.connectTimeout sets how long to wait.";
        }

        if (Contains(sshError, "Load key") || Contains(sshError, "Bad owner or permissions") || Contains(sshError, "identity file"))
        {
            return "Check ssh.identity: the key file must exist, be readable and be private (chmod 600).";
        }

        if (Contains(sshError, "kex_exchange_identification") || Contains(sshError, "Connection closed") || Contains(sshError, "Connection reset"))
        {
            return "sshd closed the connection before logging in: is sshd running properly on the device (its log says why)?";
        }

        return "Try the same connection by hand with: ssh " + (arguments.Config.Port is { } port ? $"-p {port} " : string.Empty) +
            (arguments.Identity is null ? string.Empty : $"-i {arguments.Identity} ") +
            (arguments.Config.User is null ? string.Empty : arguments.Config.User + "@") + arguments.Config.Host + " true";
    }

    private static bool Contains(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);
}
