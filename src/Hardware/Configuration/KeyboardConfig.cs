using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// The <c>keyboard</c> section: a command run once per key (a USB HID gadget, a KVM-over-IP box), on the lab host
/// when the device has one, else on this machine; and the pause after each key. A QEMU board needs no command
/// (QMP <c>send-key</c>); its section may set only <c>delay</c>.
/// </summary>
public sealed class KeyboardConfig
{
    /// <summary>The placeholder the key command gets the key in (e.g. <c>ctrl-alt-delete</c>, <c>shift-a</c>).</summary>
    public const string KeyPlaceholder = "{key}";

    /// <summary>The pause after each key when the section gives none.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(20);

    private static readonly string[] Keys = ["command", "delay", "timeout"];
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A shell command with <c>{key}</c>, run once per key press; null on a QEMU board.</summary>
    public string? Command { get; init; }

    public TimeSpan Delay { get; init; } = DefaultDelay;

    /// <summary>How long one key command may take before it is killed and reported.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Reads <c>keyboard: { command, delay, timeout }</c>; null after an error.</summary>
    internal static KeyboardConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var command = map.Text("command");
        var delay = map.Duration("delay");
        var timeout = map.Duration("timeout");
        if (command is not null && !command.Contains(KeyPlaceholder, StringComparison.Ordinal))
        {
            map.Document.Error(map.Get("command")!, DeviceFileErrorCodes.MissingPlaceholder,
                $"the keyboard `command` must take the key as {KeyPlaceholder}, e.g. \"hid-key {KeyPlaceholder}\"");
            return null;
        }

        if (map.Contains("command") && command is null)
        {
            return null;
        }

        return new KeyboardConfig { Command = command, Delay = delay ?? DefaultDelay, Timeout = timeout ?? DefaultTimeout };
    }
}
