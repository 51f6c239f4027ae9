using DeviceTest.TestAdapter.Discovery;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// <c>&lt;TargetName&gt;.devicetest-flash.json</c>, written by the build next to the test dll when the project has a
/// <c>DeviceImage</c> (and <c>DeviceTestFlash</c> is not false): the image the adapter writes to each device before
/// its first test there, however the tests are started (dotnet test, Test Explorer, vstest.console).
/// <code>
/// { "version": 1, "encoding": "uri", "project": "MyTests", "image": "%2Fsrc%2Fout%2Fos.wic.xz", "verify": "true", "timeout": "30m" }
/// </code>
/// </summary>
internal sealed class FlashList
{
    public required string ListPath { get; init; }

    public string? Project { get; init; }

    /// <summary>The image's full path.</summary>
    public required string Image { get; init; }

    public bool Verify { get; init; } = true;

    /// <summary><c>DeviceTestFlashTimeout</c> as written (empty: 30 minutes).</summary>
    public string? Timeout { get; init; }

    /// <summary>The list's path for a test dll.</summary>
    public static string PathFor(string source) =>
        Path.Combine(Path.GetDirectoryName(source) ?? ".", Path.GetFileNameWithoutExtension(source) + AdapterConstants.FlashListSuffix);

    /// <summary>The list next to <paramref name="source"/>: null without an error when there is none; null with <paramref name="error"/> when it cannot be read.</summary>
    public static FlashList? TryRead(string source, out string? error)
    {
        var path = PathFor(source);
        var list = BuildJson.Read(path, "the DeviceImage list", fields => Parse(path, fields), out error);
        if (list is { Image.Length: 0 })
        {
            error = $"{path}: names no image. Rebuild the test project.";
            return null;
        }

        return list;
    }

    private static FlashList Parse(string path, BuildJsonFields fields) => new()
    {
        ListPath = path,
        Project = fields.Text(fields.Root, "project"),
        Image = fields.Text(fields.Root, "image") ?? string.Empty,
        Verify = !string.Equals(fields.Text(fields.Root, "verify"), "false", StringComparison.OrdinalIgnoreCase),
        Timeout = fields.Text(fields.Root, "timeout"),
    };
}
