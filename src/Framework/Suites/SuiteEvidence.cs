using DeviceTest.Framework.Running;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Networking;
using DeviceTest.Hardware.Screens;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// What a suite test leaves for its result and for the next test: a failed test's screenshot and, when it failed on
/// a screen mismatch, the last frame and the difference picture (in <c>&lt;results&gt;/&lt;suite&gt;/&lt;test&gt;/</c>);
/// a network link the test left down is brought back up, so that the next test never starts offline.
/// </summary>
internal static class SuiteEvidence
{
    /// <summary>Files to attach to a failed test's result.</summary>
    public static async Task<IReadOnlyList<string>> CollectAsync(
        IDevice device, SuiteRunOptions options, string suite, string test, Exception? failure, TestLogWriter log, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(
            options.ResultsDirectory ?? Path.Combine(Path.GetTempPath(), "devicetest-results"),
            ResultsLayout.Sanitize(suite),
            ResultsLayout.Sanitize(test));
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            var files = new List<string>();
            if (Unwrap(failure) is ScreenMismatchException mismatch)
            {
                files.AddRange(mismatch.SaveEvidence(folder));
            }

            if (await FailureScreenshot.TryCaptureAsync(device, folder, log.WriteLine, cancellationToken).ConfigureAwait(false) is { } screenshot)
            {
                files.Add(screenshot);
            }

            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"warning: the screen pictures of the failed test could not be kept in {folder}: {e.Message}");
            return [];
        }
    }

    /// <summary>Brings the device's network link up when the test left it down (the test's output says so).</summary>
    public static async Task RestoreLinkAsync(IDevice device, TestLogWriter log)
    {
        if (device.Network is not { IsUp: false } link)
        {
            return;
        }

        using var bounded = new CancellationTokenSource(NetworkCut.RestoreTimeout);
        try
        {
            await link.SetLinkAsync(true, bounded.Token).ConfigureAwait(false);
            log.WriteLine($"[the test left the network link of device '{device.Name}' down; it was brought back up]");
        }
        catch (Exception e) when (e is NetworkLinkException or OperationCanceledException)
        {
            log.WriteLine($"[warning: the test left the network link of device '{device.Name}' down, and it could not be brought up: {e.Message}]");
        }
    }

    private static Exception? Unwrap(Exception? e) =>
        e is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerException)
        : e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? Unwrap(inner)
        : e;
}
