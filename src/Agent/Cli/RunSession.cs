using DeviceTest.Agent.Progress;
using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// One <c>devicetest run</c>: load specs and devices, check the output paths, reach the device, run, write results,
/// pick the exit code (<see cref="ExitCodes"/>).
/// </summary>
internal sealed class RunSession(TextWriter output, TextWriter error, bool interactive)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    public async Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // 1. Specs: every problem of every file, then stop.
        var loaded = SpecLoader.LoadMany(request.SpecPaths);
        var hasErrors = false;
        foreach (var diagnostic in loaded.SelectMany(r => r.Diagnostics))
        {
            await error.WriteLineAsync(diagnostic.ToString());
            hasErrors |= diagnostic.Severity == DiagnosticSeverity.Error;
        }

        if (hasErrors)
        {
            return ExitCodes.BadInput;
        }

        RunLease? held = null; // Leases: set once the device is held.
        var options = CreateRunOptions(request, () => held);
        if (options is null || !await OutputPaths.CheckAsync(request, error))
        {
            return ExitCodes.BadInput;
        }

        // 2. The device.
        var selection = await DeviceArgument.ResolveAsync(request.DevicesFile, request.DeviceName, error);
        if (selection is null)
        {
            return ExitCodes.BadInput;
        }

        // Leases: hold the device for the whole run (lock files here; etcd with --leases or DEVICETEST_LEASES).
        await using var lease = await RunLease.AcquireAsync(request, selection.Name, output, error, cancellationToken);
        if (lease.ExitCode is { } notLeased)
        {
            return notLeased;
        }

        held = lease;
        using var leaseScope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);

        await using var device = DeviceFactory.Create(selection);
        await output.WriteLineAsync($"devicetest: {loaded.Count} spec(s) on device '{device.Name}' ({string.Join(", ", device.Transports)})");
        try
        {
            // A run that starts by flashing brings the board up on the new image itself: the old one may not boot.
            if (loaded[0].Spec!.Sequence is not [FlashStep, ..])
            {
                await device.EnsureReadyAsync(ReadyTimeout, leaseScope.Token);
            }
        }
        catch (DeviceUnreachableException unreachable)
        {
            await error.WriteLineAsync($"devicetest: device '{device.Name}' could not be reached: {unreachable.Message}");
            return ExitCodes.DeviceUnreachable;
        }
        catch (OperationCanceledException) when (leaseScope.IsCancellationRequested)
        {
            if (await lease.ReportIfLostAsync(error))
            {
                return ExitCodes.DeviceUnreachable;
            }

            await output.WriteLineAsync("devicetest: stopped before any test ran.");
            return ExitCodes.TestsFailed;
        }

        // 3. Run, streaming results into the files.
        var exitCode = await RunSpecsAsync(request, options, device, [.. loaded.Select(r => r.Spec!)], leaseScope.Token);
        return await lease.ReportIfLostAsync(error) ? ExitCodes.DeviceUnreachable : exitCode; // Leases
    }

    private async Task<int> RunSpecsAsync(
        RunRequest request, RunOptions options, IDevice device, IReadOnlyList<TestSpec> specs, CancellationToken cancellationToken)
    {
        var sinks = new List<IResultSink>();
        if (request.JUnitPath is { } junitPath)
        {
            sinks.Add(new JUnitResultWriter(junitPath, request.JUnitSubResults));
        }

        if (request.TrxPath is { } trxPath)
        {
            sinks.Add(new TrxResultWriter(trxPath));
        }

        var start = DateTimeOffset.Now;
        var cancelled = false;
        var unreachableDuringRun = false;
        var writeFailed = false;
        var progress = new LiveProgress(output, interactive);
        var observer = new ResultFanOut(progress, sinks);
        try
        {
            foreach (var spec in specs)
            {
                var specSummary = await new SpecWorkItem(spec, options).RunAsync(device, observer, cancellationToken);
                if (specSummary.Cancelled)
                {
                    cancelled = true;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (DeviceUnreachableException unreachable)
        {
            unreachableDuringRun = true;
            await progress.DisposeAsync();
            await error.WriteLineAsync($"devicetest: device '{device.Name}' could not be reached: {unreachable.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A results file or folder could not be written (disk full, permissions changed): stop, keep what we have.
            writeFailed = true;
            await progress.DisposeAsync();
            await error.WriteLineAsync($"devicetest: {e.Message}");
        }
        finally
        {
            await progress.DisposeAsync();
        }

        var summary = new RunSummary
        {
            RunName = string.Join(", ", specs.Select(s => s.Name)),
            DeviceName = device.Name,
            StartTime = start,
            EndTime = DateTimeOffset.Now,
            Passed = progress.Summary.Passed,
            Failed = progress.Summary.Failed,
            Skipped = progress.Summary.Skipped,
            Cancelled = cancelled,
        };
        writeFailed |= !await CompleteAsync(sinks, summary);

        await output.WriteLineAsync();
        await output.WriteAsync(progress.Summary.Render());
        if (cancelled)
        {
            await output.WriteLineAsync("devicetest: stopped before the end; the results above are what ran.");
        }

        foreach (var (label, path) in new[] { ("JUnit", request.JUnitPath), ("TRX", request.TrxPath), ("results", request.ResultsDirectory) })
        {
            if (path is not null)
            {
                await output.WriteLineAsync($"{label}: {Path.GetFullPath(path)}");
            }
        }

        if (unreachableDuringRun)
        {
            return ExitCodes.DeviceUnreachable;
        }

        if (writeFailed)
        {
            return ExitCodes.BadInput;
        }

        // A failed sub-result fails the run too, as it does under dotnet test (where it is a failed child result).
        return progress.Summary.Failed > 0 || progress.Summary.FailedSubResults > 0 || (cancelled && progress.Summary.Total == 0) ? ExitCodes.TestsFailed : ExitCodes.Success;
    }

    /// <summary>Writes every results file (even after Ctrl+C: with a token that is not cancelled); false if one failed.</summary>
    private async Task<bool> CompleteAsync(List<IResultSink> sinks, RunSummary summary)
    {
        var allWritten = true;
        foreach (var sink in sinks)
        {
            try
            {
                await sink.CompleteAsync(summary, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException or InvalidOperationException)
            {
                allWritten = false;
                await error.WriteLineAsync($"devicetest: {e.Message}");
            }
            finally
            {
                await sink.DisposeAsync();
            }
        }

        return allWritten;
    }

    private RunOptions? CreateRunOptions(RunRequest request, Func<RunLease?> lease)
    {
        var defaultTimeout = TimeSpan.FromMinutes(10);
        if (request.DefaultTimeout is { } text)
        {
            if (!DurationText.TryParse(text, out defaultTimeout) || defaultTimeout <= TimeSpan.Zero)
            {
                error.WriteLine($"devicetest: --timeout '{text}' is not a duration; write it like 90s, 10m, 1h30m or hh:mm:ss");
                return null;
            }
        }

        return new RunOptions
        {
            DefaultTimeout = defaultTimeout,
            ResultsDirectory = request.ResultsDirectory is null ? null : Path.GetFullPath(request.ResultsDirectory),

            // Leases: each test's environment names the device; no test starts once the device's lease is lost.
            Environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [RunOptions.DeviceVariable] = string.IsNullOrWhiteSpace(request.DeviceName) ? Hardware.Configuration.DeviceFileLoader.LocalDeviceName : request.DeviceName,
            },
            BeforeTest = (_, _) =>
            {
                lease()?.ThrowIfLost();
                return Task.CompletedTask;
            },
        };
    }
}
