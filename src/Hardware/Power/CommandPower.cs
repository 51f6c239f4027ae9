using System.Diagnostics;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Power;

/// <summary>Power through shell commands run on this host (<c>/bin/sh -c</c>), e.g. a relay tool.</summary>
public sealed class CommandPower : IPower
{
    private readonly CommandPowerConfig _config;

    public CommandPower(CommandPowerConfig config, TimeSpan? commandTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        CommandTimeout = commandTimeout ?? TimeSpan.FromMinutes(1);
    }

    /// <summary>How long one power command may run before it is killed and reported.</summary>
    public TimeSpan CommandTimeout { get; }

    public string Description => $"power commands (on: {_config.On}; off: {_config.Off})";

    public Task OnAsync(CancellationToken cancellationToken) => RunAsync("on", _config.On, cancellationToken);

    public Task OffAsync(CancellationToken cancellationToken) => RunAsync("off", _config.Off, cancellationToken);

    public async Task CycleAsync(CancellationToken cancellationToken)
    {
        if (_config.Cycle is { } cycle)
        {
            await RunAsync("cycle", cycle, cancellationToken);
            return;
        }

        await OffAsync(cancellationToken);
        await Task.Delay(_config.CycleDelay, cancellationToken);
        await OnAsync(cancellationToken);
    }

    private async Task RunAsync(string action, string command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PowerException($"power {action}: cannot run /bin/sh for `{command}`: {e.Message}", e);
        }

        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new PowerException(
                $"power {action} command `{command}` did not finish within {CommandTimeout.TotalSeconds:0} s and was killed.");
        }

        var error = (await stderr).Trim();
        var output = (await stdout).Trim();
        if (process.ExitCode != 0)
        {
            var detail = error.Length > 0 ? error : output;
            throw new PowerException(
                $"power {action} command `{command}` failed with exit code {process.ExitCode}"
                + (detail.Length > 0 ? $": {detail}" : "."));
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
