using System.CommandLine;
using System.Text;
using DeviceTest.Hardware.Keyboards;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// <c>devicetest keys --device D TEXT</c> types TEXT on a device's keyboard (<c>\n</c> is Enter, <c>\t</c> Tab,
/// <c>\\</c> a backslash); <c>--press ctrl-alt-delete</c> presses keys together instead (repeatable).
/// </summary>
internal static class KeysCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var device = new Option<string?>("--device", "-d") { Description = "The device (default: local, which has no keyboard)." };
        var devices = new Option<string?>("--devices") { Description = "The devices file (default: $DEVICETEST_DEVICES, then ./devices.yml)." };
        var press = new Option<string[]>("--press", "-p")
        {
            Description = "Keys to press together, e.g. ctrl-alt-delete or ret (repeatable; pressed in order, before TEXT is typed).",
            AllowMultipleArgumentsPerToken = false,
        };
        var text = new Argument<string?>("TEXT") { Description = "Text to type with a US keymap; \\n is Enter, \\t is Tab.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("keys", "Type text or press keys on a device's keyboard.") { device, devices, press, text };
        command.SetAction(async (parse, _) =>
        {
            var combos = parse.GetValue(press) ?? [];
            var typed = parse.GetValue(text) is { } raw ? Unescape(raw) : null;
            if (combos.Length == 0 && typed is null)
            {
                await error.WriteLineAsync("devicetest: keys needs TEXT to type or --press KEYS; e.g. devicetest keys --device qemu-x86 'root\\n'");
                return ExitCodes.BadInput;
            }

            // Every name and character is checked before the device is touched.
            foreach (var combo in combos)
            {
                if (!KeyCombo.TryParse(combo, out var parsed, out var problem) || parsed.Keys.Count == 0)
                {
                    await error.WriteLineAsync($"devicetest: {problem}");
                    return ExitCodes.BadInput;
                }
            }

            if (typed is not null && UsKeymap.FindUntypable(typed) is { } untypable)
            {
                await error.WriteLineAsync($"devicetest: {untypable}");
                return ExitCodes.BadInput;
            }

            using var cancellation = new CancellationScope(error);
            return await DeviceAccess.RunAsync(parse.GetValue(devices), parse.GetValue(device), error, async (target, token) =>
            {
                if (target.Keyboard is not { } keyboard)
                {
                    return await DeviceAccess.MissingAsync(error, target, "keyboard", "keyboard");
                }

                try
                {
                    foreach (var combo in combos)
                    {
                        await keyboard.PressAsync(combo, token);
                    }

                    if (typed is not null)
                    {
                        await keyboard.TypeAsync(typed, token);
                    }
                }
                catch (KeyboardException e)
                {
                    await error.WriteLineAsync($"devicetest: {e.Message}");
                    return ExitCodes.DeviceUnreachable;
                }

                var what = (combos.Length > 0 ? $"pressed {string.Join(' ', combos)}" : string.Empty)
                    + (combos.Length > 0 && typed is not null ? " and " : string.Empty)
                    + (typed is not null ? $"typed {typed.Length} characters" : string.Empty);
                await output.WriteLineAsync($"devicetest: {what} on device '{target.Name}' ({keyboard.Description})");
                return ExitCodes.Success;
            }, cancellation.Token);
        });
        return command;
    }

    /// <summary><c>\n</c>, <c>\t</c> and <c>\\</c> as the characters they name; any other backslash stays as it is.</summary>
    internal static string Unescape(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is 'n' or 't' or '\\')
            {
                builder.Append(text[++i] switch { 'n' => '\n', 't' => '\t', _ => '\\' });
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }
}
