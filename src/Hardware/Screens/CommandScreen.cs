using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Lab;

namespace DeviceTest.Hardware.Screens;

/// <summary>
/// A screen captured by a command that writes one frame to <c>{output}</c> (<c>ffmpeg -f v4l2 ...</c>, a vendor tool),
/// or fetched from an HTTP snapshot URL with <c>curl</c>, on the lab host or this machine. The frame travels back as
/// base64 on the command's output, so the lab host needs only sh, mktemp and base64 besides the command.
/// </summary>
public sealed class CommandScreen : IScreen
{
    private readonly LabHost _lab;
    private readonly ScreenConfig _config;
    private readonly string _command;

    public CommandScreen(LabHost lab, ScreenConfig config)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(config);
        _lab = lab;
        _config = config;
        _command = config.Command
            ?? "curl -fsS --max-time " + Math.Ceiling(config.Timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)
               + " -o " + ScreenConfig.OutputPlaceholder + " " + ShellQuoting.Quote(config.Url!.ToString());
    }

    public string Description => (_config.Command is null ? "snapshot URL" : "capture command") + " on " + _lab.Where;

    public async Task<byte[]> CaptureAsync(CancellationToken cancellationToken)
    {
        var purpose = _config.Command is null ? "screen snapshot command" : "screen capture command";
        var output = await _lab.RunAsync(purpose, _command, Script(_command), _config.Timeout, Fail, cancellationToken).ConfigureAwait(false);
        byte[] data;
        try
        {
            data = Convert.FromBase64String(output);
        }
        catch (FormatException e)
        {
            throw new ScreenException($"device '{_lab.DeviceName}': the frame of the {purpose} `{_command}` on {_lab.Where} came back garbled: {e.Message}", e);
        }

        if (data.Length == 0)
        {
            throw new ScreenException(
                $"device '{_lab.DeviceName}': the {purpose} `{_command}` on {_lab.Where} exited 0 but wrote nothing to {ScreenConfig.OutputPlaceholder}");
        }

        return ScreenFrames.ToPng(data, $"the frame of `{_command}` on {_lab.Where}");
    }

    /// <summary>
    /// The shell script around the command: a fresh file for <c>{output}</c> (ending in .png, so that ffmpeg picks its
    /// format from the name), the command's own output sent to stderr, the file as base64 on stdout, the file removed.
    /// </summary>
    internal static string Script(string command)
    {
        var body = command.Replace(ScreenConfig.OutputPlaceholder, "\"$o\"", StringComparison.Ordinal);
        return "f=$(mktemp \"${TMPDIR:-/tmp}/devicetest-frame.XXXXXX\") || exit 125\n"
            + "o=\"$f.png\"\n"
            + "trap 'rm -f \"$f\" \"$o\"' EXIT\n"
            + "(\n" + body + "\n) >&2 || exit $?\n"
            + "[ -f \"$o\" ] || exit 0\n"
            + "base64 < \"$o\"\n";
    }

    private static ScreenException Fail(string message, Exception? inner) => inner is null ? new(message) : new(message, inner);
}
