using DeviceTest.Framework.Running;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// A <c>network: { link: down }</c> or <c>{ link: up }</c> step on the device's network cable. A link taken down is
/// brought up again when the spec ends, however it ends (a later <c>link: up</c> step does it earlier).
/// </summary>
public sealed class NetworkStep : SpecStep
{
    /// <summary>The key under which the step registers bringing the link back up.</summary>
    internal const string UndoKey = "network.link";

    private static readonly string[] Keys = ["link"];

    /// <summary>The <c>network</c> key.</summary>
    public static StepKind StepKind { get; } = new("network", Read);

    public required bool Up { get; init; }

    public override string Kind => StepKind.Key;

    public override string Summary => Up ? "link up" : "link down";

    /// <summary>Reads <c>{ link: up|down }</c>.</summary>
    public static SpecStep? Read(StepSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var network = source.Mapping("`network`");
        if (network is null)
        {
            return null;
        }

        network.CheckKeys(Keys);
        var link = network.Text("link", required: true);
        if (link is not (null or "up" or "down"))
        {
            source.Document.Error(network.Get("link")!, SpecErrorCodes.OutOfRange, $"`link` must be up or down, not `{link}`");
        }

        return link is "up" or "down" ? new NetworkStep { Index = source.Index, Position = source.Position, Up = link == "up" } : null;
    }

    public override Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return DeviceStepRun.RunAsync(context, this, "network " + Summary, async token =>
        {
            var link = DeviceStepRun.Require(context, context.Device.Network, "network link control", "network");
            if (!Up)
            {
                // Registered first: a cancel half-way may have taken the link down all the same.
                context.Undo.Register(UndoKey, "bring the network link up", bounded => link.SetLinkAsync(true, bounded));
            }

            await link.SetLinkAsync(Up, token);
            if (Up)
            {
                context.Undo.Remove(UndoKey);
            }

            return new DeviceStepRun.Done(link.Description);
        }, cancellationToken);
    }
}
