namespace DeviceTest.Framework.Specs;

/// <summary>
/// The step kinds a spec may use. <see cref="Default"/> holds the built-in ones (<c>tests</c>, <c>reboot</c>,
/// <c>screenshot</c>, <c>screen</c>, <c>keys</c>, <c>network</c>); a new
/// kind is one more entry there (docs/specs.md), or, in tests, <see cref="With"/>.
/// </summary>
public sealed class StepKinds
{
    private readonly IReadOnlyList<StepKind> _kinds;

    private StepKinds(IReadOnlyList<StepKind> kinds)
    {
        _kinds = kinds;
    }

    /// <summary>The kinds every loader uses unless told otherwise, in the order their keys are read.</summary>
    public static StepKinds Default { get; } = new(
    [
        TestsStep.StepKind, RebootStep.StepKind,
        ScreenshotStep.StepKind, ScreenStep.StepKind, KeysStep.StepKind, NetworkStep.StepKind,
        FlashStep.StepKind,
    ]);

    public IReadOnlyList<StepKind> All => _kinds;

    /// <summary>These kinds and <paramref name="kind"/>, whose key must be new.</summary>
    public StepKinds With(StepKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (Find(kind.Key) is not null)
        {
            throw new ArgumentException($"a step kind `{kind.Key}` is already registered", nameof(kind));
        }

        return new StepKinds([.. _kinds, kind]);
    }

    public StepKind? Find(string key) => _kinds.FirstOrDefault(k => string.Equals(k.Key, key, StringComparison.Ordinal));
}
