using DeviceTest.Framework.Running;
using DeviceTest.Hardware.Keyboards;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// A <c>keys: { press: [ctrl-alt-delete, ret] }</c> or <c>keys: { type: "root\n" }</c> step on the device's keyboard.
/// Key names and the text are checked when the spec is loaded (an unknown name gets the list of known ones).
/// </summary>
public sealed class KeysStep : SpecStep
{
    private static readonly string[] Keys = ["press", "type"];

    /// <summary>The <c>keys</c> key.</summary>
    public static StepKind StepKind { get; } = new("keys", Read);

    /// <summary>Key combinations pressed one after the other (empty when the step types text).</summary>
    public IReadOnlyList<string> Press { get; init; } = [];

    /// <summary>Text typed with a US keymap, or null when the step presses keys.</summary>
    public string? Type { get; init; }

    public override string Kind => StepKind.Key;

    public override string Summary => Type is null ? "press " + string.Join(' ', Press) : "type " + Quote(Type);

    /// <summary>Reads <c>{ press: [...] }</c> or <c>{ type: text }</c>.</summary>
    public static SpecStep? Read(StepSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var map = source.Mapping("`keys`");
        if (map is null)
        {
            return null;
        }

        map.CheckKeys(Keys);
        if (map.Contains("press") == map.Contains("type"))
        {
            source.Document.Error(map.Node, SpecErrorCodes.OneOfKeys,
                "`keys` needs one of `press` (a list of keys, e.g. [ctrl-alt-delete]) or `type` (text, e.g. \"root\\n\")");
            return null;
        }

        if (map.Contains("type"))
        {
            var node = map.Value("type", required: true);
            var text = node is null ? null : source.ReadText(node, "`type`");
            if (text is null)
            {
                return null;
            }

            if (UsKeymap.FindUntypable(text) is { } problem)
            {
                source.Document.Error(node!, SpecErrorCodes.BadKey, problem);
                return null;
            }

            return new KeysStep { Index = source.Index, Position = source.Position, Type = text };
        }

        var press = ReadPress(source, map.Value("press", required: true));
        return press is null ? null : new KeysStep { Index = source.Index, Position = source.Position, Press = press };
    }

    public override Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return DeviceStepRun.RunAsync(context, this, "keys " + Summary, async token =>
        {
            var keyboard = DeviceStepRun.Require(context, context.Device.Keyboard, "keyboard", "keyboard");
            if (Type is not null)
            {
                await keyboard.TypeAsync(Type, token);
                return new DeviceStepRun.Done($"{Type.Length} characters");
            }

            foreach (var keys in Press)
            {
                await keyboard.PressAsync(keys, token);
            }

            return new DeviceStepRun.Done(Press.Count == 1 ? "1 key" : $"{Press.Count} keys");
        }, cancellationToken);
    }

    private static List<string>? ReadPress(StepSource source, YamlNode? node)
    {
        if (node is null)
        {
            return null;
        }

        // One key is fine as a string; a list presses each in turn.
        var items = node is YamlSequenceNode list ? list.Children.ToList() : [node];
        if (items.Count == 0)
        {
            source.Document.Error(node, SpecErrorCodes.EmptyValue, "`press` must name at least one key, e.g. [ret]");
            return null;
        }

        var keys = new List<string>();
        var ok = true;
        foreach (var item in items)
        {
            var text = source.ReadText(item, "a key of `press`");
            if (text is null)
            {
                ok = false;
            }
            else if (!KeyCombo.TryParse(text, out _, out var error))
            {
                source.Document.Error(item, SpecErrorCodes.BadKey, error);
                ok = false;
            }
            else
            {
                keys.Add(text.Trim());
            }
        }

        return ok ? keys : null;
    }

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
}
