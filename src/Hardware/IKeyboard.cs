namespace DeviceTest.Hardware;

/// <summary>
/// A keyboard attached to the device (QEMU's, a USB HID gadget, a KVM-over-IP box). Key names are QEMU's qcodes with
/// a few aliases (<c>ctrl</c>, <c>alt</c>, <c>shift</c>, <c>ret</c> or <c>enter</c>, <c>esc</c>, <c>f1</c>...);
/// <see cref="Keyboards.KeyNames.Known"/> lists them.
/// </summary>
public interface IKeyboard
{
    /// <summary>A short description, e.g. "QEMU send-key" or "key command on this machine".</summary>
    string Description { get; }

    /// <summary>The pause after each key (and between the keys <see cref="TypeAsync"/> types).</summary>
    TimeSpan KeyDelay { get; }

    /// <summary>Presses keys together and releases them, e.g. <c>ctrl-alt-delete</c>, <c>ret</c>, <c>shift-a</c>.</summary>
    /// <exception cref="ArgumentException">A key name is not known; the message lists the known ones.</exception>
    Task PressAsync(string keys, CancellationToken cancellationToken);

    /// <summary>
    /// Types <paramref name="text"/> with a US keymap: shifted characters are typed with shift, <c>\n</c> is Enter and
    /// <c>\t</c> is Tab, with <see cref="KeyDelay"/> after each key.
    /// </summary>
    /// <exception cref="ArgumentException">The text has a character a US keyboard cannot type (the message says where).</exception>
    Task TypeAsync(string text, CancellationToken cancellationToken);
}
