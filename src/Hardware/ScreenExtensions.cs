using System.Diagnostics;
using DeviceTest.Hardware.Screens;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware;

/// <summary>Waiting for the screen to show a reference image, as openQA's <c>assert_screen</c> does.</summary>
public static class ScreenExtensions
{
    /// <summary>openQA's default: a 96% match is a match.</summary>
    public const double DefaultThreshold = 0.96;

    /// <summary>How long a wait pauses between frames.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Captures frames until one matches the reference image <paramref name="referencePath"/> (PNG) at least
    /// <paramref name="threshold"/> (0-1, openQA's scale), comparing only what <paramref name="mask"/> leaves.
    /// </summary>
    /// <returns>The matching frame.</returns>
    /// <exception cref="ScreenMismatchException">No frame matched within <paramref name="timeout"/>; the message says
    /// by how much and where, and <see cref="ScreenMismatchException.SaveEvidence"/> writes the last frame and a
    /// difference picture.</exception>
    /// <exception cref="ScreenException">The reference or mask cannot be read, or a frame cannot be captured.</exception>
    public static async Task<ScreenMatch> WaitForAsync(
        this IScreen screen,
        string referencePath,
        TimeSpan timeout,
        double threshold = DefaultThreshold,
        ScreenMask? mask = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(screen);
        var reference = await ScreenReference.LoadAsync(referencePath, mask, cancellationToken).ConfigureAwait(false);
        return await screen.WaitForAsync(reference, timeout, threshold, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same with a reference loaded once (<see cref="ScreenReference.LoadAsync"/>).</summary>
    public static async Task<ScreenMatch> WaitForAsync(
        this IScreen screen,
        ScreenReference reference,
        TimeSpan timeout,
        double threshold = DefaultThreshold,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(screen);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        if (threshold is <= 0 or > 1 || double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the threshold is a similarity above 0 and at most 1 (openQA's 96% is 0.96)");
        }

        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var frames = 0;
        (double Similarity, int Frame, TimeSpan At) best = (-1, 0, TimeSpan.Zero);
        (ScreenImage Image, byte[] Png, ScreenComparison Comparison)? last = null;
        while (true)
        {
            byte[] png;
            try
            {
                png = await screen.CaptureAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (last is null)
                {
                    throw new ScreenException($"no frame came from {screen.Description} within {DurationText.Format(timeout)}");
                }

                break;
            }

            frames++;
            var image = ScreenImage.Decode(png, $"frame {frames} from {screen.Description}");
            var comparison = reference.Compare(image);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (comparison.Matches(threshold))
            {
                return new ScreenMatch { Frame = png, Comparison = comparison, Frames = frames, Elapsed = elapsed };
            }

            if (comparison.SizeMatches && comparison.Similarity > best.Similarity)
            {
                best = (comparison.Similarity, frames, elapsed);
            }

            last = (image, png, comparison);
            try
            {
                await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        throw new ScreenMismatchException(new ScreenMismatch
        {
            Reference = reference,
            Source = screen.Description,
            Threshold = threshold,
            Timeout = timeout,
            Frames = frames,
            BestSimilarity = best.Similarity,
            BestFrame = best.Frame,
            BestAt = best.At,
            LastImage = last.Value.Image,
            LastFrame = last.Value.Png,
            LastComparison = last.Value.Comparison,
        });
    }
}
