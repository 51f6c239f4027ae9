namespace DeviceTest.Hardware.Keyboards;

/// <summary>
/// A device's keyboard: key names and text turned into key combinations (<see cref="KeyCombo"/>,
/// <see cref="UsKeymap"/>), sent one at a time by a backend with <see cref="KeyDelay"/> after each. Every name and
/// character is checked before the first key goes out, so a typo sends nothing. One call at a time: keys of two
/// concurrent calls would interleave.
/// </summary>
public sealed class Keyboard : IKeyboard
{
    private readonly IKeySender _sender;

    internal Keyboard(IKeySender sender, TimeSpan keyDelay)
    {
        _sender = sender;
        KeyDelay = keyDelay;
    }

    public string Description => _sender.Description;

    public TimeSpan KeyDelay { get; }

    public Task PressAsync(string keys, CancellationToken cancellationToken) =>
        SendAsync([KeyCombo.Parse(keys)], cancellationToken);

    public Task TypeAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(UsKeymap.Map(text), cancellationToken);

    private async Task SendAsync(IReadOnlyList<KeyCombo> combos, CancellationToken cancellationToken)
    {
        foreach (var combo in combos)
        {
            await _sender.SendAsync(combo, cancellationToken).ConfigureAwait(false);
            if (KeyDelay > TimeSpan.Zero)
            {
                await Task.Delay(KeyDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
