using DeviceTest.Framework.Running;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// One item of a spec's <c>sequence</c>. Each kind of step is one class deriving from this one: what the step says
/// (its properties), how it is read from YAML (a static <c>Read</c> registered as a <see cref="Specs.StepKind"/>) and
/// how it runs (<see cref="RunAsync"/>). The built-in kinds are <see cref="TestsStep"/> and <see cref="RebootStep"/>;
/// docs/specs.md says how to add one.
/// </summary>
public abstract class SpecStep
{
    /// <summary>0-based index in the sequence.</summary>
    public required int Index { get; init; }

    /// <summary>Where the step's mapping (<c>- tests:</c>, <c>- reboot:</c>...) starts.</summary>
    public required SourcePosition Position { get; init; }

    /// <summary>The key that names the step's kind in a spec: <c>tests</c>, <c>reboot</c>...</summary>
    public abstract string Kind { get; }

    /// <summary>What the step does in a few words, for progress lines (a reboot's command).</summary>
    public virtual string Summary => Kind;

    /// <summary>The word progress shows when the step succeeded ("back" for a reboot).</summary>
    public virtual string SucceededWord => "done";

    /// <summary>
    /// Runs the step on <see cref="StepContext.Device"/>. The sequence calls it only when the step belongs to the run
    /// (see <see cref="StepContext"/>); cancellation ends the run (throw <see cref="OperationCanceledException"/>).
    /// A step that fails reports it (<see cref="StepContext.ReportAsync"/>) and, when the device cannot be used after
    /// it, <see cref="StepContext.FailRemainingTests"/>.
    /// </summary>
    public abstract Task RunAsync(StepContext context, CancellationToken cancellationToken);
}
