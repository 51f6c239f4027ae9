using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// <c>devicetest devices</c>: every device, its transports and tags, and whether each transport answers: SSH logs in
/// and runs <c>true</c>; a console is opened and shows its prompt after a newline; pdudaemon answers HTTP; a QEMU board
/// has its binary and images (with <c>--boot</c> it is booted and probed). Nothing is switched or rebooted.
/// </summary>
internal static class DevicesCommand
{
    private const string NotAnswering = "NOT ANSWERING";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PromptTimeout = TimeSpan.FromSeconds(5);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var devices = new Option<string?>("--devices") { Description = "The devices file (default: $DEVICETEST_DEVICES, then ./devices.yml)." };
        var noProbe = new Option<bool>("--no-probe") { Description = "List only; do not contact the devices." };
        var boot = new Option<bool>("--boot") { Description = "Also boot QEMU boards and probe them (takes a few seconds each)." };
        var command = new Command("devices", "List devices, their transports and whether each answers.") { devices, noProbe, boot };
        command.SetAction(async (parse, _) =>
        {
            var loaded = await DeviceArgument.LoadAsync(parse.GetValue(devices), error);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            using var cancellation = new CancellationScope(error);
            var probe = !parse.GetValue(noProbe);
            var withBoot = parse.GetValue(boot);
            var reports = await Task.WhenAll(loaded.Devices.Select(d => probe
                ? ProbeAsync(d, withBoot, cancellation.Token)
                : Task.FromResult<IReadOnlyList<(string, string)>>([("status", "not probed")])));
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

                foreach (var (label, text) in reports[i])
                {
                    await output.WriteLineAsync($"    {label + ":",-11} {text}");
                }
            }

            return reports.Any(r => r.Any(line => line.Item2.StartsWith(NotAnswering, StringComparison.Ordinal)))
                ? ExitCodes.DeviceUnreachable
                : ExitCodes.Success;
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
            yield return "console QEMU serial";
        }

        if (config.Power is { } power)
        {
            yield return power.Pdudaemon is { } pdu ? $"power pdudaemon {pdu.Hostname} port {pdu.Port}" : "power command";
        }
        else if (config.Qemu is not null)
        {
            yield return "power QEMU QMP";
        }

        var lab = config.Lab is { } l ? $" on {l.Ssh.Host}" : string.Empty;
        if (config.Flash is { } flash)
        {
            yield return flash.Disk is { } disk
                ? $"flash {disk}{(flash.Mux is null ? string.Empty : " via mux")}{(config.Lab is { } labHost ? " on lab host " + labHost.Ssh.Host : string.Empty)}"
                : "flash command";
        }

        if (config.Ssh is null && config.Serial is null && config.Qemu is null)
        {
            yield return config.Flash is null ? "local processes" : "flashing station (commands: local processes)";
        }

        if (config.Screen is not null || config.Qemu is not null)
        {
            yield return config.Screen is { } screen ? (screen.Url is null ? "screen command" : "screen snapshot URL") + lab : "screen QEMU screendump";
        }

        if (config.Keyboard?.Command is not null || config.Qemu is not null)
        {
            yield return config.Keyboard?.Command is not null ? "keyboard command" + lab : "keyboard QEMU send-key";
        }

        if (config.Network is not null || config.Qemu is { Forwards.Count: > 0 })
        {
            yield return config.Network is not null ? "network commands" + lab : "network QEMU set_link";
        }
    }

    /// <summary>One line per transport, then the device's status.</summary>
    private static async Task<IReadOnlyList<(string, string)>> ProbeAsync(DeviceConfig config, bool boot, CancellationToken cancellationToken)
    {
        var lines = new List<(string, string)>();
        if (config.Ssh is null && config.Serial is null && config.Qemu is null)
        {
            lines.Add(("status", await ProbeDeviceAsync(config, ProbeTimeout, cancellationToken)));
            return lines;
        }

        var probes = new List<(string Label, Task<string> Probe)>();
        if (config.Qemu is not null)
        {
            probes.Add(("qemu", Task.FromResult(ProbeQemuFiles(config))));
        }

        if (config.Ssh is not null)
        {
            probes.Add(("ssh", config.Qemu is null
                ? ProbeSshAsync(config, cancellationToken)
                : Task.FromResult("not probed: reached through the QEMU board's port forward (use --boot)")));
        }

        if (config.Serial is { } serial)
        {
            probes.Add(("console", ProbeConsoleAsync(config, serial, cancellationToken)));
        }

        if (config.Power is { } power)
        {
            probes.Add(("power", ProbePowerAsync(power, cancellationToken)));
        }

        await Task.WhenAll(probes.Select(p => p.Probe));
        lines.AddRange(probes.Select(p => (p.Label, p.Probe.Result)));
        var failed = lines.FirstOrDefault(l => l.Item2.StartsWith(NotAnswering, StringComparison.Ordinal));
        string status;
        if (failed != default)
        {
            status = $"{NotAnswering} ({failed.Item1})";
        }
        else if (config.Qemu is not null)
        {
            status = boot
                ? await ProbeDeviceAsync(config, (config.Shell ?? new ShellConfig()).BootTimeout + ProbeTimeout, cancellationToken)
                : "virtual board, ready to boot (boots when a run starts; --boot boots it now)";
        }
        else
        {
            status = "answers";
        }

        lines.Add(("status", status));
        return lines;
    }

    /// <summary>Brings the whole device up through its boot strategy and runs <c>true</c>.</summary>
    private static async Task<string> ProbeDeviceAsync(DeviceConfig config, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await using var device = DeviceFactory.Create(config);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            await device.EnsureReadyAsync(timeout, limit.Token);
            var result = await device.RunAsync(new CommandRequest(CommandLine.FromShell("true")) { Timeout = ProbeTimeout }, limit.Token);
            return result.Succeeded
                ? string.Create(CultureInfo.InvariantCulture, $"answers ({watch.Elapsed.TotalMilliseconds:0} ms)")
                : $"{NotAnswering}: 'true' exited {result.ExitCode}";
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or TimeoutException or OperationCanceledException or ArgumentException or IOException)
        {
            return $"{NotAnswering}: {OneLine(e.Message)}";
        }
    }

    private static async Task<string> ProbeSshAsync(DeviceConfig config, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await using var ssh = new SshDevice(config);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(ProbeTimeout);
            var timeout = config.Ssh!.ConnectTimeout < ProbeTimeout ? config.Ssh.ConnectTimeout : ProbeTimeout;
            await ssh.EnsureReadyAsync(timeout, limit.Token);
            return string.Create(CultureInfo.InvariantCulture, $"answers ({watch.Elapsed.TotalMilliseconds:0} ms)");
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or OperationCanceledException)
        {
            return $"{NotAnswering}: {OneLine(e.Message)}";
        }
    }

    /// <summary>Opens the console, sends a newline and looks for the shell or login prompt (the board is not changed).</summary>
    private static async Task<string> ProbeConsoleAsync(DeviceConfig config, SerialConfig serial, CancellationToken cancellationToken)
    {
        try
        {
            await using var console = new SerialConsole(config.Name, serial);
            await console.OpenAsync(cancellationToken);
            var shell = config.Shell ?? new ShellConfig();
            var pattern = shell.Login is { } login ? $"(?<login>{login.LoginPrompt})|(?<prompt>{shell.Prompt})" : $"(?<prompt>{shell.Prompt})";
            await console.WriteLineAsync(string.Empty, cancellationToken);
            try
            {
                var match = await console.ExpectAsync(new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant), PromptTimeout, cancellationToken);
                return match.Groups["login"].Success ? $"login prompt on {console.Description}" : $"shell prompt on {console.Description}";
            }
            catch (TimeoutException)
            {
                var seen = console.Tail();
                var hint = config.Ssh is null ? $"{NotAnswering}: " : string.Empty;
                return $"{hint}{console.Description} opens, but no prompt /{shell.Prompt}/ within {PromptTimeout.TotalSeconds:0} s (last text: {seen}); check shell.prompt";
            }
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            return $"{NotAnswering}: {OneLine(e.Message)}";
        }
    }

    private static async Task<string> ProbePowerAsync(PowerConfig power, CancellationToken cancellationToken)
    {
        if (power.Pdudaemon is { } pdu)
        {
            try
            {
                using var response = await Http.GetAsync(pdu.Url, cancellationToken);
                return $"pdudaemon at {pdu.Url} answers (HTTP {(int)response.StatusCode}); {pdu.Hostname} port {pdu.Port} not switched";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return $"{NotAnswering}: pdudaemon at {pdu.Url} does not answer ({OneLine(e.Message)}); is it running with its HTTP listener?";
            }
        }

        if (power.Command is { } command)
        {
            var program = command.On.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
            return program.Contains('/', StringComparison.Ordinal) && !File.Exists(program)
                ? $"{NotAnswering}: the power-on command's program {program} does not exist"
                : $"commands (on: `{command.On}`; not run by this probe)";
        }

        return "none";
    }

    /// <summary>The QEMU binary on PATH and the kernel, initrd and disk files, resolved as a run would.</summary>
    private static string ProbeQemuFiles(DeviceConfig config)
    {
        var qemu = config.Qemu!;
        var binary = qemu.Binary ?? "qemu-system-" + (qemu.Arch is "aarch64" or "arm64" ? "aarch64" : "x86_64");
        var found = binary.Contains('/', StringComparison.Ordinal)
            ? (File.Exists(binary) ? binary : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Select(dir => Path.Combine(dir, binary)).FirstOrDefault(File.Exists);
        if (found is null)
        {
            return $"{NotAnswering}: {binary} not found (install QEMU, e.g. Debian's qemu-system-x86, or set qemu.binary)";
        }

        var files = new List<string>();
        foreach (var (what, path) in new[] { ("kernel", qemu.Kernel), ("initrd", qemu.Initrd), ("disk", qemu.Disk) })
        {
            if (path is null)
            {
                continue;
            }

            var full = Path.GetFullPath(path.StartsWith("~/", StringComparison.Ordinal)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
                : path, config.BaseDirectory);
            if (!File.Exists(full))
            {
                return $"{NotAnswering}: the {what} {full} does not exist (qemu.{what})";
            }

            files.Add($"{what} {full}");
        }

        return $"{found}; {string.Join(", ", files)}";
    }

    private static string OneLine(string text) => text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace('\n', ' ');
}
