using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>
/// A step kind made in a test, shaped like a <c>network</c> step: <c>- link: down</c> runs <c>link-down</c> on the
/// device and registers <c>link-up</c> to run when the spec ends; <c>- link: up</c> runs <c>link-up</c> and drops
/// that undo action.
/// </summary>
public sealed class LinkStep : SpecStep
{
    public const string UndoKey = "link";

    public static StepKind StepKind { get; } = new("link", Read);

    public required bool Up { get; init; }

    public override string Kind => StepKind.Key;

    public override string Summary => Up ? "up" : "down";

    public static SpecStep? Read(StepSource source)
    {
        var text = source.ReadText(source.Value, "`link`");
        if (text is not ("up" or "down"))
        {
            if (text is not null)
            {
                source.Document.Error(source.Value, SpecErrorCodes.OutOfRange, $"`link` must be up or down, not `{text}`");
            }

            return null;
        }

        return new LinkStep { Index = source.Index, Position = source.Position, Up = text == "up" };
    }

    public override async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var device = context.Device;
        if (Up)
        {
            await device.RunAsync(new CommandRequest(CommandLine.FromShell("link-up")), cancellationToken);
            context.Undo.Remove(UndoKey);
            return;
        }

        await device.RunAsync(new CommandRequest(CommandLine.FromShell("link-down")), cancellationToken);
        context.Undo.Register(
            UndoKey,
            "bring the link up",
            async token => await device.RunAsync(new CommandRequest(CommandLine.FromShell("link-up")), token));
    }
}
