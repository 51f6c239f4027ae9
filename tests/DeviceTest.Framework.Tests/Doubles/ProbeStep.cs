using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>
/// A step kind made in a test, shaped like a <c>screen</c> step: <c>- probe: { name: splash, pass: false, fatal: false }</c>
/// runs <c>probe NAME</c> on the device, saves a "frame" in its results folder and, when it does not pass, reports
/// a failed result with the frame attached; <c>fatal</c> also fails the remaining tests.
/// </summary>
public sealed class ProbeStep : SpecStep
{
    private static readonly string[] Keys = ["name", "pass", "fatal"];

    public static StepKind StepKind { get; } = new("probe", Read);

    public required string Name { get; init; }

    public bool Passes { get; init; }

    public bool Fatal { get; init; }

    public override string Kind => StepKind.Key;

    public override string Summary => Name;

    public static SpecStep? Read(StepSource source)
    {
        var probe = source.Mapping("`probe`");
        if (probe is null)
        {
            return null;
        }

        probe.CheckKeys(Keys);
        var name = probe.Text("name", required: true);
        var passes = probe.Flag("pass") ?? true;
        var fatal = probe.Flag("fatal") ?? false;
        return name is null ? null : new ProbeStep { Index = source.Index, Position = source.Position, Name = name, Passes = passes, Fatal = fatal };
    }

    public override async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var start = context.Options.TimeProvider.GetUtcNow();
        context.Observer.OnStepStarted(this);
        await context.Device.RunAsync(new CommandRequest(CommandLine.FromArguments("probe", Name)), cancellationToken);
        var frame = Path.Combine(context.ResultsFolder(Name), "frame.txt");
        await File.WriteAllTextAsync(frame, "last frame of " + Name, cancellationToken);
        if (!Passes)
        {
            await context.ReportAsync(
                new StepReport
                {
                    Name = "probe " + Name,
                    Outcome = TestOutcome.Failed,
                    Message = $"the frame did not match '{Name}'",
                    StartTime = start,
                    Attachments = [frame],
                },
                cancellationToken);
            if (Fatal)
            {
                context.FailRemainingTests($"probe '{Name}' failed at {Position}");
            }
        }

        context.Observer.OnStepFinished(this, new StepOutcome(Passes ? StepStatus.Succeeded : StepStatus.Failed, "probed", TimeSpan.Zero));
    }
}
