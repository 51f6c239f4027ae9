using System.CommandLine;
using System.Globalization;
using System.Net;
using DeviceTest.Agent.Gateway;
using DeviceTest.Agent.Ota;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Local;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Agent.Cli;

/// <summary><c>devicetest agent</c>: on-device, OTA-triggered testing (aktualizr-lite callbacks, device-gateway reporting).</summary>
internal static class AgentCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var spec = new Option<string>("--spec") { Description = "The spec to run (default: /etc/devicetest/test-spec.yml).", DefaultValueFactory = _ => "/etc/devicetest/test-spec.yml" };
        var listen = new Option<string>("--listen") { Description = "Address:port for aktualizr-lite's callbacks (default 127.0.0.1:8000; loopback only unless you say otherwise).", DefaultValueFactory = _ => "127.0.0.1:8000" };
        var callbackUrl = new Option<string?>("--callback-url") { Description = "URL the callback script posts to (default: from --listen; set it when a container publishes the port elsewhere)." };
        var sotaDir = new Option<string>("--sota-dir") { Description = "aktualizr-lite's directory: current-target, sota.toml, certificates; the callback script goes here (default /var/sota).", DefaultValueFactory = _ => "/var/sota" };
        var confDir = new Option<string>("--conf-d") { Description = "aktualizr-lite's conf.d; z-90-devicetest.toml goes here (default /etc/sota/conf.d).", DefaultValueFactory = _ => "/etc/sota/conf.d" };
        var stateDir = new Option<string>("--state-dir") { Description = "Persistent directory for the run state and the result spool (default /var/lib/devicetest).", DefaultValueFactory = _ => "/var/lib/devicetest" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be sent to the device gateway; send nothing." };
        var resultsFile = new Option<string?>("--results-file") { Description = "Append test records to this JSON-lines file instead of reporting to the device gateway (offline devices, checks)." };
        var warnAfter = new Option<string>("--callback-warning-after") { Description = "Warn when no callback arrived this long after start (default 10m; 0: never).", DefaultValueFactory = _ => "10m" };
        var hostSsh = new Option<string?>("--host-ssh") { Description = "user@host[:port]: run on_host tests there over SSH (default: $DEVICETEST_HOST_SSH; none: on this machine)." };

        var command = new Command("agent", "On-device agent: runs the spec when aktualizr-lite installs an update and reports to the device gateway.")
        {
            spec, listen, callbackUrl, sotaDir, confDir, stateDir, dryRun, resultsFile, warnAfter, hostSsh,
        };
        command.SetAction(async (parse, _) =>
        {
            if (!TryParseListen(parse.GetValue(listen)!, out var host, out var port))
            {
                await error.WriteLineAsync($"devicetest agent: --listen '{parse.GetValue(listen)}' is not host:port (e.g. 127.0.0.1:8000)");
                return ExitCodes.BadInput;
            }

            if (!DurationText.TryParse(parse.GetValue(warnAfter), out var warning))
            {
                await error.WriteLineAsync($"devicetest agent: --callback-warning-after '{parse.GetValue(warnAfter)}' is not a duration (e.g. 10m, 90s)");
                return ExitCodes.BadInput;
            }

            Uri url;
            if (parse.GetValue(callbackUrl) is { } givenUrl)
            {
                if (!Uri.TryCreate(givenUrl, UriKind.Absolute, out url!) || url.Scheme != Uri.UriSchemeHttp || givenUrl.Contains('\'', StringComparison.Ordinal))
                {
                    await error.WriteLineAsync($"devicetest agent: --callback-url '{givenUrl}' is not an http:// URL");
                    return ExitCodes.BadInput;
                }
            }
            else
            {
                var scriptHost = host is "0.0.0.0" or "*" or "+" ? "127.0.0.1" : host is "::" ? "[::1]" : host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
                url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{scriptHost}:{port}/callback"));
            }

            var settings = new AgentSettings
            {
                SpecPath = parse.GetValue(spec)!,
                ListenHost = host,
                ListenPort = port,
                CallbackUrl = url,
                SotaDirectory = Path.GetFullPath(parse.GetValue(sotaDir)!),
                ConfDirectory = Path.GetFullPath(parse.GetValue(confDir)!),
                StateDirectory = Path.GetFullPath(parse.GetValue(stateDir)!),
                CallbackWarningAfter = warning,
            };

            var log = new AgentLog(output);
            var hostSshValue = parse.GetValue(hostSsh) ?? Environment.GetEnvironmentVariable("DEVICETEST_HOST_SSH");
            IDevice? onHost = null;
            if (!string.IsNullOrWhiteSpace(hostSshValue))
            {
                onHost = HostSshConfig(hostSshValue) is { } hostConfig ? new SshDevice(hostConfig) : null;
                if (onHost is null)
                {
                    await error.WriteLineAsync($"devicetest agent: host SSH '{hostSshValue}' is not user@host[:port]");
                    return ExitCodes.BadInput;
                }
            }

            if (CreateReporter(parse.GetValue(dryRun), parse.GetValue(resultsFile), settings, log, output) is not { } reporting)
            {
                return ExitCodes.BadInput;
            }

            var (reporter, owner) = reporting;
            await using var ownerScope = owner ?? NoOwner.Instance;
            await using var device = new AgentDevice(new LocalDevice(), onHost);
            using var cancellation = new CancellationScope(error);
            await using var agent = new AgentHost(settings, reporter, device, log);
            return await agent.RunAsync(cancellation.Token);
        });
        return command;
    }

    /// <summary>The reporter, and (for the gateway) the uploader draining the spool; null after logging why.</summary>
    private static (ITestReporter Reporter, IAsyncDisposable? Owner)? CreateReporter(
        bool dryRun, string? resultsFile, AgentSettings settings, AgentLog log, TextWriter output)
    {
        if (dryRun)
        {
            Uri? testsUrl = null;
            try
            {
                testsUrl = SotaConfig.Load(settings.SotaDirectory, settings.ConfDirectory, SotaConfig.SystemConfDirectory).TestsUrl;
            }
            catch (SotaConfigException e)
            {
                log.Warning($"dry run: {e.Message}");
            }

            return (new DryRunReporter(output, testsUrl), null);
        }

        if (resultsFile is not null)
        {
            return (new RecordFileReporter(resultsFile, log), null);
        }

        var spool = new UploadSpool(settings.StateDirectory, log);
        SotaConfig config;
        try
        {
            config = SotaConfig.Load(settings.SotaDirectory, settings.ConfDirectory, SotaConfig.SystemConfDirectory);
        }
        catch (SotaConfigException e)
        {
            // Keep serving and spooling: nothing is lost, it is sent once the configuration is fixed.
            log.Error($"{e.Message.TrimEnd('.')}. Results are kept in {spool.SpoolDirectory} and uploaded after the agent is restarted with a valid configuration");
            return (spool, new SpoolOwner(spool, null, null));
        }

        var client = new GatewayClient(config, new GatewayClientOptions());
        var uploader = new SpoolUploader(spool, client, new SpoolUploaderOptions(), log);
        uploader.Start();
        log.Info($"reporting to {config.TestsUrl} (spool {spool.SpoolDirectory})");
        return (spool, new SpoolOwner(spool, client, uploader));
    }

    private sealed class NoOwner : IAsyncDisposable
    {
        public static NoOwner Instance { get; } = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class SpoolOwner(UploadSpool spool, GatewayClient? client, SpoolUploader? uploader) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (uploader is not null)
            {
                await uploader.DisposeAsync();
            }

            client?.Dispose();
            spool.Dispose();
        }
    }

    internal static bool TryParseListen(string text, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = text[..colon].Trim('[', ']');
        return host is "*" or "+" || IPAddress.TryParse(host, out _) || host == "localhost";
    }

    /// <summary>
    /// The host OS's device for on_host tests from <c>user@host[:port]</c>, or null when the text is not that. Host keys
    /// are checked as the user's ssh_config says (only OpenSSH's "ask", which batch mode cannot answer, becomes
    /// accept-new, as for every SSH device).
    /// </summary>
    internal static DeviceConfig? HostSshConfig(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var user = at > 0 ? text[..at] : null;
        var rest = text[(at + 1)..];
        int? port = null;
        var colon = rest.LastIndexOf(':');
        if (colon > 0)
        {
            if (!int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                return null;
            }

            port = p;
            rest = rest[..colon];
        }

        if (rest.Length == 0)
        {
            return null;
        }

        return new DeviceConfig
        {
            Name = "host",
            Ssh = new SshConfig { Host = rest, Port = port, User = user },
        };
    }
}
