using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// The <c>screen</c> section: how a frame of the device's display is captured, on the lab host when the device has
/// one (<c>lab</c>), else on this machine. A QEMU board needs none (QMP <c>screendump</c>).
/// </summary>
public sealed class ScreenConfig
{
    /// <summary>The placeholder a capture command writes the frame to.</summary>
    public const string OutputPlaceholder = "{output}";

    private static readonly string[] Keys = ["command", "url", "timeout"];
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A shell command that writes one frame (PNG, JPEG, BMP or PPM) to <c>{output}</c>, or null.</summary>
    public string? Command { get; init; }

    /// <summary>An HTTP snapshot URL that answers with one frame, or null.</summary>
    public Uri? Url { get; init; }

    /// <summary>How long one capture may take before it is killed and reported.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Reads <c>screen: { command | url, timeout }</c>; null after an error.</summary>
    internal static ScreenConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var command = map.Text("command");
        var urlText = map.Text("url");
        var timeout = map.Duration("timeout");
        var ok = true;
        if (map.Contains("command") == map.Contains("url"))
        {
            map.Document.Error(map.Node, DeviceFileErrorCodes.ScreenBackend,
                "`screen` needs one of `command` (e.g. \"ffmpeg -f v4l2 -i /dev/video0 -frames:v 1 -y {output}\") or `url` (an HTTP snapshot)");
            ok = false;
        }

        if (command is not null && !command.Contains(OutputPlaceholder, StringComparison.Ordinal))
        {
            map.Document.Error(map.Get("command")!, DeviceFileErrorCodes.MissingPlaceholder,
                $"the screen `command` must write its frame to {OutputPlaceholder}, e.g. \"ffmpeg -f v4l2 -i /dev/video0 -frames:v 1 -y {OutputPlaceholder}\"");
            ok = false;
        }

        Uri? url = null;
        if (urlText is not null && !TryParseUrl(urlText, out url))
        {
            map.Document.Error(map.Get("url")!, DeviceFileErrorCodes.BadUrl,
                $"screen `url` must be an absolute http:// or https:// URL such as http://192.0.2.30/snapshot.jpg, not `{urlText}`");
            ok = false;
        }

        if (!ok || (command is null && url is null))
        {
            return null;
        }

        return new ScreenConfig { Command = command, Url = url, Timeout = timeout ?? DefaultTimeout };
    }

    private static bool TryParseUrl(string text, out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url)
        && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
        && url.Host.Length > 0;
}
