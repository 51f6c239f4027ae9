using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Lab;

namespace DeviceTest.Hardware.Keyboards;

/// <summary>
/// Keys through a command run once per key combination with <c>{key}</c> replaced by its qcodes (<c>ctrl-alt-delete</c>,
/// <c>shift-a</c>), on the lab host or this machine: a USB HID gadget script, a KVM-over-IP box's CLI.
/// </summary>
internal sealed class CommandKeySender(LabHost lab, KeyboardConfig config) : IKeySender
{
    private readonly string _command = config.Command ?? throw new ArgumentException("the keyboard section has no command", nameof(config));

    public string Description => "key command on " + lab.Where;

    public async Task SendAsync(KeyCombo keys, CancellationToken cancellationToken)
    {
        var script = _command.Replace(KeyboardConfig.KeyPlaceholder, ShellQuoting.Quote(keys.ToString()), StringComparison.Ordinal);
        await lab.RunAsync("key command", script, script, config.Timeout, Fail, cancellationToken).ConfigureAwait(false);
    }

    private static KeyboardException Fail(string message, Exception? inner) => inner is null ? new(message) : new(message, inner);
}
