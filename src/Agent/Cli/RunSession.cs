using DeviceTest.Agent.Progress;
using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Agent.Cli;

/// <summary>One <c>devicetest run</c>: load specs and devices, reach the device, run, write results, pick the exit code.</summary>
internal sealed class RunSession(TextWriter output, TextWriter error, bool interactive)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    public async Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
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

        var options = CreateRunOptions(request);
        if (options is null)
        {
            return ExitCodes.BadInput;
        }

        // 2. The device.
        var selection = await DeviceSelection.ResolveAsync(request.DevicesFile, request.DeviceName, error);
        if (selection is null)
        {
            return ExitCodes.BadInput;
        }

        await using var device = DeviceFactory.Create(selection);
        await output.WriteLineAsync($"devicetest: {loaded.Count} spec(s) on device '{device.Name}' ({string.Join(", ", device.Transports)})");
        try
        {
            await device.EnsureReadyAsync(ReadyTimeout, cancellationToken);
        }
        catch (DeviceUnreachableException unreachable)
        {
            await error.WriteLineAsync($"devicetest: device '{device.Name}' could not be reached: {unreachable.Message}");
            return ExitCodes.DeviceUnreachable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Cancelled;
        }

        // 3. Run, streaming results into the files.
        var sinks = new List<IResultSink>();
        if (request.JUnitPath is { } junitPath)
        {
            sinks.Add(new JUnitResultWriter(junitPath));
        }

        if (request.TrxPath is { } trxPath)
        {
            sinks.Add(new TrxResultWriter(trxPath));
        }

        var start = DateTimeOffset.Now;
        var cancelled = false;
        var unreachableDuringRun = false;
        await using var progress = new LiveProgress(output, interactive);
        var observer = new ResultFanOut(progress, sinks);
        try
        {
            var runner = new SpecRunner(device, options, observer);
            foreach (var spec in loaded.Select(r => r.Spec!))
            {
                if (!HasRequiredTags(spec, device, out var missing))
                {
                    observer.OnMessage($"spec '{spec.Name}' skipped: it requires tags [{string.Join(", ", missing)}], device '{device.Name}' has [{string.Join(", ", device.Tags)}]");
                    continue;
                }

                var outcome = await runner.RunAsync(spec, cancellationToken);
                if (outcome.Cancelled)
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
            await error.WriteLineAsync($"devicetest: device '{device.Name}' could not be reached: {unreachable.Message}");
        }
        finally
        {
            var summary = new RunSummary
            {
                RunName = string.Join(", ", loaded.Select(r => r.Spec!.Name)),
                DeviceName = device.Name,
                StartTime = start,
                EndTime = DateTimeOffset.Now,
                Passed = progress.Summary.Passed,
                Failed = progress.Summary.Failed,
                Skipped = progress.Summary.Skipped,
                Cancelled = cancelled,
            };
            foreach (var sink in sinks)
            {
                // Results files are written even after Ctrl+C: use a token that is not cancelled.
                await sink.CompleteAsync(summary, CancellationToken.None);
                await sink.DisposeAsync();
            }
        }

        await progress.DisposeAsync();
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

        return progress.Summary.Failed > 0 ? ExitCodes.TestsFailed : ExitCodes.Success;
    }

    private RunOptions? CreateRunOptions(RunRequest request)
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
        };
    }

    private static bool HasRequiredTags(TestSpec spec, IDevice device, out IReadOnlyList<string> missing)
    {
        missing = [.. spec.RequiredTags.Where(tag => !device.Tags.Contains(tag, StringComparer.Ordinal))];
        return missing.Count == 0;
    }
}
