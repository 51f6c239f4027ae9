using System.Globalization;
using DeviceTest.Framework.Running;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Screens;
using DeviceTest.Hardware.Yaml;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// A <c>screen: { expect: splash.png, timeout: 2m, threshold: 0.96, mask: splash-mask.png, ignore: [[x, y, w, h]],
/// areas: [[x, y, w, h]], margin: 20 }</c> step: waits until the screen matches the reference, as openQA's
/// <c>assert_screen</c> does. A mismatch is reported like a failed test with the last frame and a difference picture.
/// Paths are relative to the spec; the files are checked when the spec is loaded.
/// </summary>
public sealed class ScreenStep : SpecStep
{
    /// <summary>How long the step waits when the spec gives no <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(1);

    private static readonly string[] Keys = ["expect", "timeout", "threshold", "mask", "ignore", "areas", "margin"];

    /// <summary>The <c>screen</c> key.</summary>
    public static StepKind StepKind { get; } = new("screen", Read);

    /// <summary>The reference image's full path.</summary>
    public required string Expect { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public double Threshold { get; init; } = ScreenExtensions.DefaultThreshold;

    /// <summary>The mask (its image's full path), ignored rectangles, areas and margin.</summary>
    public ScreenMask Mask { get; init; } = new();

    public override string Kind => StepKind.Key;

    public override string Summary => Path.GetFileName(Expect);

    public override string SucceededWord => "matched";

    /// <summary>Reads the step and checks its files: they exist, are images, and the mask and rectangles fit the reference.</summary>
    public static SpecStep? Read(StepSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var map = source.Mapping("`screen`");
        if (map is null)
        {
            return null;
        }

        map.CheckKeys(Keys);
        var expect = ReadImage(source, map, "expect", required: true);
        var mask = ReadImage(source, map, "mask", required: false);
        var timeout = map.Duration("timeout");
        var threshold = ReadThreshold(source, map);
        var margin = map.Number("margin");
        var ignore = ReadRegions(source, map, "ignore", expect?.Size);
        var areas = ReadRegions(source, map, "areas", expect?.Size);
        if (expect is { } reference && mask is { } maskImage && maskImage.Size != reference.Size)
        {
            source.Document.Error(map.Get("mask")!, SpecErrorCodes.BadImage,
                $"the mask {Path.GetFileName(maskImage.Path)} is {Format(maskImage.Size)} but the reference {Path.GetFileName(reference.Path)} is {Format(reference.Size)}; a mask must have the reference's size");
            return null;
        }

        if (expect is not { } found || (map.Contains("mask") && mask is null) || (map.Contains("threshold") && threshold is null)
            || (map.Contains("ignore") && ignore is null) || (map.Contains("areas") && areas is null) || (map.Contains("timeout") && timeout is null)
            || (map.Contains("margin") && margin is null))
        {
            return null;
        }

        return new ScreenStep
        {
            Index = source.Index,
            Position = source.Position,
            Expect = found.Path,
            Timeout = timeout ?? DefaultTimeout,
            Threshold = threshold ?? ScreenExtensions.DefaultThreshold,
            Mask = new ScreenMask { Image = mask?.Path, Ignore = ignore ?? [], Areas = areas ?? [], Margin = margin ?? 0 },
        };
    }

    public override Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return DeviceStepRun.RunAsync(context, this, "screen " + Path.GetFileName(Expect), async token =>
        {
            var screen = DeviceStepRun.Require(context, context.Device.Screen, "screen", "screen");
            var match = await screen.WaitForAsync(Expect, Timeout, Threshold, Mask, token);
            return new DeviceStepRun.Done(string.Create(
                CultureInfo.InvariantCulture, $"similarity {match.Similarity:0.000} after {DurationText.Format(match.Elapsed)} ({match.Frames} frame{(match.Frames == 1 ? string.Empty : "s")})"));
        }, cancellationToken);
    }

    private static string Format((int Width, int Height) size) => string.Create(CultureInfo.InvariantCulture, $"{size.Width}x{size.Height}");

    /// <summary>An image file named by <paramref name="key"/>, relative to the spec: its full path and size, or null after an error.</summary>
    private static (string Path, (int Width, int Height) Size)? ReadImage(StepSource source, YamlMappingReader map, string key, bool required)
    {
        var node = map.Value(key, required);
        var text = node is null ? null : source.ReadText(node, $"`{key}`");
        if (text is null)
        {
            return null;
        }

        var path = Path.GetFullPath(text, source.SpecDirectory);
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = File.Exists(path) ? e.Message : "it does not exist";
            source.Document.Error(node!, SpecErrorCodes.FileNotReadable,
                $"`{key}` names {text}, which cannot be read ({path}: {why}); make it with `devicetest screenshot --device D -o {text}`");
            return null;
        }

        try
        {
            return (path, ScreenImage.ReadSize(data, text));
        }
        catch (ScreenException e)
        {
            source.Document.Error(node!, SpecErrorCodes.BadImage, $"`{key}`: {e.Message}");
            return null;
        }
    }

    private static double? ReadThreshold(StepSource source, YamlMappingReader map)
    {
        var node = map.Value("threshold");
        if (node is null)
        {
            return null;
        }

        var text = node is YamlScalarNode scalar ? scalar.Value ?? string.Empty : string.Empty;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            source.Document.Error(node, SpecErrorCodes.NotANumber, $"`threshold` must be a similarity between 0 and 1 (openQA's 96% is 0.96), not `{text}`");
            return null;
        }

        if (value is <= 0 or > 1)
        {
            var hint = value is > 1 and <= 100 ? string.Create(CultureInfo.InvariantCulture, $"; for {value}% write {value / 100}") : string.Empty;
            source.Document.Error(node, SpecErrorCodes.OutOfRange, $"`threshold` must be above 0 and at most 1, not {text}{hint}");
            return null;
        }

        return value;
    }

    /// <summary><c>[[x, y, width, height], ...]</c>, each within the reference; null after an error.</summary>
    private static List<ScreenRegion>? ReadRegions(StepSource source, YamlMappingReader map, string key, (int Width, int Height)? size)
    {
        var list = map.Sequence(key);
        if (list is null)
        {
            return null;
        }

        var regions = new List<ScreenRegion>();
        var ok = true;
        foreach (var item in list.Children)
        {
            var numbers = item is YamlSequenceNode { Children.Count: 4 } four
                ? four.Children.Select(n => map.AsNumber(n, $"a number of `{key}`")).ToArray()
                : null;
            if (numbers is null)
            {
                source.Document.Error(item, SpecErrorCodes.WrongType, $"an item of `{key}` must be a rectangle [x, y, width, height] in pixels, e.g. [0, 0, 720, 16]");
                ok = false;
                continue;
            }

            if (numbers.Any(n => n is null))
            {
                ok = false;
                continue;
            }

            var region = new ScreenRegion(numbers[0]!.Value, numbers[1]!.Value, numbers[2]!.Value, numbers[3]!.Value);
            if (size is { } s && !region.FitsIn(s.Width, s.Height))
            {
                source.Document.Error(item, SpecErrorCodes.BadImage,
                    $"the rectangle {region} of `{key}` is not within the reference ({Format(s)}); width and height must be above 0");
                ok = false;
                continue;
            }

            regions.Add(region);
        }

        return ok ? regions : null;
    }
}
