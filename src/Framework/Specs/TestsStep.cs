using DeviceTest.Framework.Running;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// A <c>tests:</c> step, with its optional <c>repeat</c>: the tests run in order (a failing test does not stop the
/// step); <c>repeat</c> runs the whole step <c>total</c> times (≤ 0: until cancelled) with <c>delay_seconds</c>
/// between runs (fiotest's semantics).
/// </summary>
public sealed class TestsStep : SpecStep
{
    /// <summary>The <c>tests</c> key; the step honours <c>repeat</c>.</summary>
    public static StepKind StepKind { get; } = new("tests", Read, repeats: true);

    public required IReadOnlyList<SpecTest> Tests { get; init; }

    /// <summary>Null: the tests run once.</summary>
    public RepeatPolicy? Repeat { get; init; }

    public override string Kind => StepKind.Key;

    /// <summary>Reads a <c>tests</c> list (each test's names are made unique across steps afterwards).</summary>
    public static SpecStep? Read(StepSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var tests = SpecTestReader.ReadList(source);
        return tests is null ? null : new TestsStep { Index = source.Index, Position = source.Position, Tests = tests, Repeat = source.Repeat };
    }

    /// <summary>
    /// Runs the selected tests, each iteration in order, from <see cref="StepContext.ResumeAt"/> when the run resumes
    /// here; when <see cref="StepContext.NotRun"/> is set, reports each selected test once without running it.
    /// </summary>
    public override Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var selected = Tests.Select((test, index) => (Test: test, Index: index)).Where(t => context.IsSelected(t.Test)).ToArray();
        return context.NotRun is { } reason
            ? ReportWithoutRunningAsync(context, selected, reason, cancellationToken)
            : RunSelectedAsync(context, selected, cancellationToken);
    }

    /// <summary>A copy whose tests have the unique names <paramref name="uniqueName"/> gives them.</summary>
    internal TestsStep WithUniqueNames(Func<SpecTest, string> uniqueName) => new()
    {
        Index = Index,
        Position = Position,
        Repeat = Repeat,
        Tests = [.. Tests.Select(test => test.WithUniqueName(uniqueName(test)))],
    };

    private async Task RunSelectedAsync(StepContext context, (SpecTest Test, int Index)[] selected, CancellationToken cancellationToken)
    {
        var isRepeated = Repeat is not null && Repeat.Total != 1;
        var forever = Repeat is not null && Repeat.IsForever;
        var total = Repeat?.Total ?? 1;
        var delay = TimeSpan.FromSeconds(Math.Max(0, Repeat?.DelaySeconds ?? 0));

        // Iterative on purpose: a soak run loops forever in constant stack and memory.
        var firstIteration = Math.Max(1, context.ResumeAt?.Iteration ?? 1);
        var firstTest = Math.Max(0, context.ResumeAt?.TestIndex ?? 0);
        for (var iteration = firstIteration; ; iteration++)
        {
            for (var position = 0; position < selected.Length; position++)
            {
                var (test, testIndex) = selected[position];
                cancellationToken.ThrowIfCancellationRequested();
                if (iteration == firstIteration && testIndex < firstTest)
                {
                    continue;
                }

                var following = forever ? long.MaxValue : selected.Length - position - 1 + ((total - iteration) * selected.Length);
                await context.RunTestAsync(test, new TestRound(testIndex, iteration, isRepeated) { Following = following }, cancellationToken);
            }

            if (!forever && iteration >= total)
            {
                return;
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.Options.TimeProvider, cancellationToken);
            }
        }
    }

    private async Task ReportWithoutRunningAsync(
        StepContext context, (SpecTest Test, int Index)[] selected, NotRunReason reason, CancellationToken cancellationToken)
    {
        // Reported once each, even for repeated steps: nothing would change between iterations.
        var isRepeated = Repeat is { Total: not 1 };
        var resumeAt = context.ResumeAt;
        foreach (var (test, testIndex) in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (resumeAt is not null && (resumeAt.Iteration > 1 || testIndex < resumeAt.TestIndex))
            {
                continue;
            }

            await context.ReportNotRunAsync(test, new TestRound(testIndex, 1, isRepeated), reason, cancellationToken);
        }
    }
}
