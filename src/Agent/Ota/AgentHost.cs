using System.Net;
using DeviceTest.Agent.Files;
using DeviceTest.Agent.Gateway;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// <c>devicetest agent</c>: configures aktualizr-lite's callback, serves callbacks on loopback, resumes a run a
/// reboot (or crash) interrupted, and starts/stops runs as updates are installed.
/// </summary>
internal sealed class AgentHost(AgentSettings settings, ITestReporter reporter, AgentDevice device, AgentLog log) : IAsyncDisposable
{
    private readonly RunCoordinator _coordinator = new();
    private readonly RunStateStore _store = new(settings.StateDirectory);
    private int _callbacks;

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled (SIGTERM); returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        log.Info($"devicetest agent: spec {Path.GetFullPath(settings.SpecPath)}, sota dir {settings.SotaDirectory}, conf.d {settings.ConfDirectory}, state dir {settings.StateDirectory}");
        CallbackSecret secret;
        try
        {
            PrivateFiles.CreateFolder(settings.StateDirectory);
            var firstStart = !File.Exists(AktualizrSetup.ConfigPath(settings.ConfDirectory));
            secret = CallbackSecret.ForScript(AktualizrSetup.ScriptPath(settings.SotaDirectory));
            var script = AktualizrSetup.WriteScript(settings.SotaDirectory, settings.CallbackUrl, secret);
            if (firstStart && !File.Exists(_store.Path))
            {
                // Saved before the toml: a crash in between still tests the current Target at the next start.
                log.Info("first start after install: testing the current Target now (later runs start when aktualizr-lite installs an update)");
                if (NewRunState(null) is { } first)
                {
                    _store.Save(first.State);
                }
            }

            AktualizrSetup.WriteConfig(settings.ConfDirectory, script);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"cannot write the aktualizr-lite callback configuration: {e.Message}. The agent needs write access to " +
                $"{settings.SotaDirectory}, {settings.ConfDirectory} and {settings.StateDirectory} (in a container: mount them, see packaging/docker-compose.yml)");
            return 2;
        }

        log.Info($"aktualizr-lite: {Path.Combine(settings.ConfDirectory, AktualizrSetup.ConfigFileName)} runs {Path.Combine(settings.SotaDirectory, CallbackScript.FileName)}, which posts to {settings.CallbackUrl}");

        using var listener = new CallbackListener(settings.ListenHost, settings.ListenPort, secret, HandleAsync, Status, log);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            log.Error($"cannot listen on {listener.Prefix}: {e.Message}. Is another agent (or fiotest) using port {settings.ListenPort}? Pick another with --listen");
            return 2;
        }

        log.Info($"listening on {listener.Prefix} (requests must carry the callback secret from {Path.Combine(settings.SotaDirectory, CallbackScript.FileName)})");
        if (settings.ListenHost != "localhost" && (!IPAddress.TryParse(settings.ListenHost.Trim('[', ']'), out var address) || !IPAddress.IsLoopback(address)))
        {
            log.Warning($"listening on {settings.ListenHost}, not on loopback: other machines can reach the port. The callback secret " +
                "guards it, but use --listen 127.0.0.1:PORT (in a container: host networking, see packaging/docker-compose.yml) unless you must");
        }
        var serving = listener.ServeAsync(cancellationToken);
        var warning = WarnWithoutCallbacksAsync(cancellationToken);

        try
        {
            await ResumeAsync(cancellationToken);
            await serving;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.Error($"agent: {e.Message}");
        }
        finally
        {
            await _coordinator.DisposeAsync();
            await serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await warning.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        log.Info("devicetest agent: stopped");
        return 0;
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var resume = await RunRecovery.RecoverAsync(_store, reporter, log, settings.SpecPath);
            if (resume is not null && SpecFile.Load(resume.SpecPath, log) is { } loaded)
            {
                await _coordinator.StartAsync(new AgentRun(Context(), loaded.Spec, resume), "superseded");
            }
            else if (resume is null)
            {
                log.Info("no run to resume: waiting for aktualizr-lite's callbacks");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.Error($"could not resume or start a run at startup: {e.Message}. The agent keeps serving callbacks; the next install-post starts a run");
        }
    }

    public ValueTask DisposeAsync() => _coordinator.DisposeAsync();

    private AgentRunContext Context() => new() { Log = log, Reporter = reporter, Store = _store, Device = device };

    private string Status() =>
        $"devicetest agent: {(_coordinator.IsRunning ? "running tests" : "idle")}; {Volatile.Read(ref _callbacks)} callback(s) received";

    private async Task<string> HandleAsync(CallbackMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _callbacks);
        log.Info($"callback: {message}");
        switch (message.Message)
        {
            case "install-post" when message.Result == "OK":
                return await StartRunAsync(message);

            case "install-post":
                return $"install-post {message.Result ?? "(no RESULT)"}: no run (tests run after a successful install)";

            case "install-pre":
                var stop = _coordinator.StopAsync(
                    "stopped: install-pre" + (message.InstallTargetName is { } next ? $" (aktualizr-lite is installing '{next}')" : string.Empty));
                // aktualizr-lite waits for this answer: let it go on once the test is stopped (bounded, the stop goes on regardless).
                try
                {
                    return await stop.WaitAsync(TimeSpan.FromSeconds(45), cancellationToken) ? "run stopped" : "no run to stop";
                }
                catch (TimeoutException)
                {
                    return "run stopping";
                }

            case "check-for-update-pre":
                if (Volatile.Read(ref _callbacks) == 1)
                {
                    log.Info("callbacks from aktualizr-lite arrive (check-for-update-pre)");
                }

                return "ok";

            case "check-for-update-post" or "download-pre" or "download-post" or "install-final-pre":
                return "ok";

            default:
                log.Warning($"unknown callback message '{message.Message}': accepted and ignored. A newer aktualizr-lite may send " +
                    "messages this agent does not know; update the agent if tests should react to it.");
                return "unknown message ignored";
        }
    }

    private async Task<string> StartRunAsync(CallbackMessage message)
    {
        if (NewRunState(message) is not { } run)
        {
            return "no run: see the agent log";
        }

        await _coordinator.StartAsync(new AgentRun(Context(), run.Spec, run.State), $"stopped: superseded by a new run for Target '{run.State.TargetName}'");
        return $"run started for Target '{run.State.TargetName}'";
    }

    /// <summary>A new run of the spec for the current Target, or null (logged) when the Target or the spec is unusable.</summary>
    private (TestSpec Spec, RunState State)? NewRunState(CallbackMessage? message)
    {
        var path = message?.CurrentTarget is { Length: > 0 } given && Path.IsPathFullyQualified(given)
            ? given
            : Path.Combine(settings.SotaDirectory, CurrentTargetFile.FileName);
        var target = CurrentTargetFile.ReadTargetName(path, out var error);
        if (target is null)
        {
            if (message?.CurrentTargetName is { Length: > 0 } fromCallback)
            {
                log.Warning($"current Target: {error}; using CURRENT_TARGET_NAME '{fromCallback}' from the callback instead");
                target = fromCallback;
            }
            else
            {
                log.Error($"no tests run: the current Target is unknown: {error}");
                return null;
            }
        }

        if (SpecFile.Load(settings.SpecPath, log) is not { } loaded)
        {
            return null;
        }

        return (loaded.Spec, new RunState
        {
            RunId = RecordIds.New(),
            TargetName = target,
            SpecPath = Path.GetFullPath(settings.SpecPath),
            SpecSha256 = loaded.Sha256,
        });
    }

    private async Task WarnWithoutCallbacksAsync(CancellationToken cancellationToken)
    {
        if (settings.CallbackWarningAfter <= TimeSpan.Zero)
        {
            return;
        }

        await Task.Delay(settings.CallbackWarningAfter, cancellationToken);
        if (Volatile.Read(ref _callbacks) == 0)
        {
            log.Warning($"no callback from aktualizr-lite in {DurationText.Format(settings.CallbackWarningAfter)}: aktualizr-lite may not have " +
                $"reloaded its config ({Path.Combine(settings.ConfDirectory, AktualizrSetup.ConfigFileName)}), so updates will not start tests. " +
                "Fix: restart aktualizr-lite on the device ('systemctl restart aktualizr-lite'); it sends check-for-update-pre at every update check.");
        }
    }
}
