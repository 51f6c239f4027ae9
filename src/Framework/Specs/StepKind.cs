namespace DeviceTest.Framework.Specs;

/// <summary>
/// A kind of step a spec's <c>sequence</c> may hold: the key that names it (<c>reboot</c>) and the method that reads
/// the key's value into a <see cref="SpecStep"/>. Registered in <see cref="StepKinds"/>.
/// </summary>
public sealed class StepKind
{
    private readonly Func<StepSource, SpecStep?> _read;

    /// <param name="key">The key in a step's mapping, e.g. <c>reboot</c>.</param>
    /// <param name="read">
    /// Reads the key's value (never an empty one: a step whose value is empty counts as not naming the kind). Reports
    /// every problem through the <see cref="StepSource"/> and returns null when the value is not valid.
    /// </param>
    /// <param name="repeats">Whether the step honours its <c>repeat</c> key; for other kinds <c>repeat</c> is a warning.</param>
    public StepKind(string key, Func<StepSource, SpecStep?> read, bool repeats = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(read);
        Key = key;
        _read = read;
        Repeats = repeats;
    }

    public string Key { get; }

    public bool Repeats { get; }

    public SpecStep? Read(StepSource source) => _read(source);
}
