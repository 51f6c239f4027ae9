using DeviceTest.Framework.Running;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// A <c>screenshot: { name: boot }</c> step: captures the device's screen and reports it as a passed result named
/// <c>screenshot boot</c> with <c>boot.png</c> attached (in JUnit/TRX, and in <c>&lt;results&gt;/&lt;spec&gt;/stepNN-screenshot_boot/</c>).
/// </summary>
public sealed class ScreenshotStep : SpecStep
{
    private static readonly string[] Keys = ["name"];

    /// <summary>The <c>screenshot</c> key.</summary>
    public static StepKind StepKind { get; } = new("screenshot", Read);

    /// <summary>The picture's name: its file is <c>&lt;name&gt;.png</c>.</summary>
    public required string Name { get; init; }

    public override string Kind => StepKind.Key;

    public override string Summary => Name;

    /// <summary>Reads <c>{ name }</c>.</summary>
    public static SpecStep? Read(StepSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var map = source.Mapping("`screenshot`");
        if (map is null)
        {
            return null;
        }

        map.CheckKeys(Keys);
        var nameNode = map.Value("name", required: true);
        var name = nameNode is null ? null : source.ReadText(nameNode, "`name`");
        if (name is not null && name.Trim().Length == 0)
        {
            source.Document.Error(nameNode!, SpecErrorCodes.EmptyValue, "the screenshot `name` must not be empty");
            return null;
        }

        return name is null ? null : new ScreenshotStep { Index = source.Index, Position = source.Position, Name = name };
    }

    public override Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var resultName = "screenshot " + Name;
        return DeviceStepRun.RunAsync(context, this, resultName, async token =>
        {
            var screen = DeviceStepRun.Require(context, context.Device.Screen, "screen", "screen");
            var frame = await screen.CaptureAsync(token);
            var path = Path.Combine(context.ResultsFolder(resultName), ResultsLayout.Sanitize(Name) + ".png");
            await File.WriteAllBytesAsync(path, frame, token);
            return new DeviceStepRun.Done(Path.GetFileName(path), [path]);
        }, cancellationToken);
    }
}
