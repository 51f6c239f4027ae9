using System.CommandLine;
using System.Diagnostics;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Agent.Cli;

/// <summary><c>devicetest devices</c>: every device, its transports and tags, and whether it answers.</summary>
internal static class DevicesCommand
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var devices = new Option<string?>("--devices") { Description = "The devices file (default: $DEVICETEST_DEVICES, then ./devices.yml)." };
        var noProbe = new Option<bool>("--no-probe") { Description = "List only; do not contact the devices." };
        var command = new Command("devices", "List devices, their transports and whether they answer.") { devices, noProbe };
        command.SetAction(async (parse, _) =>
        {
            var loaded = await DeviceSelection.LoadAsync(parse.GetValue(devices), error);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            using var cancellation = new CancellationScope(error);
            var probe = !parse.GetValue(noProbe);
            var statuses = await Task.WhenAll(loaded.Devices.Select(d => probe ? ProbeAsync(d, cancellation.Token) : Task.FromResult("not probed")));
            await output.WriteLineAsync(loaded.FilePath is null ? "devices: built-in only (no devices file found)" : $"devices: {loaded.FilePath}");
            for (var i = 0; i < loaded.Devices.Count; i++)
            {
                var config = loaded.Devices[i];
                await output.WriteLineAsync($"  {config.Name}");
                await output.WriteLineAsync($"    transports: {string.Join(", ", DescribeTransports(config))}");
                if (config.Tags.Count > 0)
                {
                    await output.WriteLineAsync($"    tags:       {string.Join(", ", config.Tags)}");
                }

                await output.WriteLineAsync($"    status:     {statuses[i]}");
            }

            return statuses.Any(s => s.StartsWith("NOT ANSWERING", StringComparison.Ordinal)) ? ExitCodes.DeviceUnreachable : ExitCodes.Success;
        });
        return command;
    }

    private static IEnumerable<string> DescribeTransports(DeviceConfig config)
    {
        if (config.Ssh is { } ssh)
        {
            yield return $"ssh {(ssh.User is null ? string.Empty : ssh.User + "@")}{ssh.Host}{(ssh.Port is null ? string.Empty : $":{ssh.Port}")}";
        }

        if (config.Serial is { } serial)
        {
            yield return $"serial {serial.Port} ({serial.Baud} baud)";
        }

        if (config.Qemu is { } qemu)
        {
            yield return $"qemu {qemu.Arch} ({qemu.Kernel ?? qemu.Disk}, {qemu.Memory} MiB)";
        }

        if (config.Power is { } power)
        {
            yield return power.Pdudaemon is { } pdu ? $"power pdudaemon {pdu.Hostname} port {pdu.Port}" : "power command";
        }

        if (config.Ssh is null && config.Serial is null && config.Qemu is null)
        {
            yield return "local processes";
        }
    }

    private static async Task<string> ProbeAsync(DeviceConfig config, CancellationToken cancellationToken)
    {
        if (config.Qemu is not null)
        {
            // Probing a virtual board would boot it; say whether it can boot instead.
            var kernel = config.Qemu.Kernel is null ? null : Path.GetFullPath(config.Qemu.Kernel, config.BaseDirectory);
            return kernel is not null && !File.Exists(kernel)
                ? $"NOT ANSWERING: kernel {kernel} does not exist"
                : "virtual board (boots when a run starts)";
        }

        var watch = Stopwatch.StartNew();
        try
        {
            await using var device = DeviceFactory.Create(config);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            await device.EnsureReadyAsync(ProbeTimeout, timeout.Token);
            var result = await device.RunAsync(CommandRequest.Shell("true"), timeout.Token);
            return result.Succeeded
                ? $"answers ({watch.Elapsed.TotalMilliseconds:0} ms)"
                : $"NOT ANSWERING: 'true' exited {result.ExitCode}";
        }
        catch (Exception exception) when (exception is DeviceUnreachableException or DeviceLostException or TimeoutException or OperationCanceledException or NotSupportedException)
        {
            return $"NOT ANSWERING: {exception.Message}";
        }
    }
}
