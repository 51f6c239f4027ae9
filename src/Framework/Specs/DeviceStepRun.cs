using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Hardware.Keyboards;
using DeviceTest.Hardware.Networking;
using DeviceTest.Hardware.Screens;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// How the steps that act on a device's screen, keyboard or network run: progress lines around the action, and a
/// failure reported like a test (counted, in JUnit/TRX with the files it left) instead of thrown. The steps that use
/// it: <see cref="ScreenshotStep"/>, <see cref="ScreenStep"/>, <see cref="KeysStep"/>, <see cref="NetworkStep"/>.
/// </summary>
internal static class DeviceStepRun
{
    /// <summary>
    /// Runs <paramref name="action"/>. What it returns is the step's details; a result it hands to
    /// <see cref="Done.Report"/> is reported (a screenshot's, with its file). A failure (a missing capability, the
    /// device's error, a mismatch) is reported as a failed result named <paramref name="resultName"/>, with a
    /// mismatch's last frame and difference picture attached.
    /// </summary>
    public static async Task RunAsync(
        StepContext context, SpecStep step, string resultName, Func<CancellationToken, Task<Done>> action, CancellationToken cancellationToken)
    {
        var clock = context.Options.TimeProvider;
        var startTime = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        context.Observer.OnStepStarted(step);
        Done done;
        try
        {
            done = await action(cancellationToken);
        }
        catch (Exception e) when (IsFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            var attachments = e is ScreenMismatchException mismatch ? mismatch.SaveEvidence(context.ResultsFolder(resultName)) : [];
            var message = e is OperationCanceledException ? "did not finish in time" : e.Message;
            context.Observer.OnStepFinished(step, new StepOutcome(StepStatus.Failed, message, clock.GetElapsedTime(started)));
            await context.ReportAsync(
                new StepReport
                {
                    Name = resultName,
                    Outcome = TestOutcome.Failed,
                    Message = message,
                    Details = $"{step.Kind} step at {step.Position} on device '{context.Device.Name}': {message}",
                    StartTime = startTime,
                    Duration = clock.GetElapsedTime(started),
                    Attachments = attachments,
                },
                cancellationToken);
            return;
        }

        var elapsed = clock.GetElapsedTime(started);
        context.Observer.OnStepFinished(step, new StepOutcome(StepStatus.Succeeded, done.Details, elapsed));
        if (done.Report is { } files)
        {
            await context.ReportAsync(
                new StepReport { Name = resultName, Outcome = TestOutcome.Passed, StartTime = startTime, Duration = elapsed, Attachments = files },
                cancellationToken);
        }
    }

    /// <summary>The device's capability, or a failure that says how to give the device one.</summary>
    public static T Require<T>(StepContext context, T? capability, string what, string section)
        where T : class =>
        capability ?? throw new MissingCapabilityException(
            $"device '{context.Device.Name}' has no {what}: give it a `{section}:` section in devices.yml (QEMU boards have one of their own)");

    /// <summary>What a step's action did: its details for the progress line, and files to report as a passed result, if any.</summary>
    public sealed record Done(string Details, IReadOnlyList<string>? Report = null);

    private static bool IsFailure(Exception e) =>
        e is ScreenException or ScreenMismatchException or KeyboardException or NetworkLinkException or MissingCapabilityException
            or ArgumentException or IOException or UnauthorizedAccessException or OperationCanceledException;

    private sealed class MissingCapabilityException(string message) : Exception(message);
}
