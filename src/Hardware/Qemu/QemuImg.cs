using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceTest.Hardware.Qemu;

/// <summary>qemu-img: the format of a disk image and copy-on-write overlays over it.</summary>
internal static class QemuImg
{
    public const string Program = "qemu-img";

    /// <summary>The image's format as qemu-img sees it (raw, qcow2, ...).</summary>
    public static async Task<string> DetectFormatAsync(string image, CancellationToken cancellationToken)
    {
        var output = await RunAsync(["info", "--output=json", image], cancellationToken);
        try
        {
            return (JsonNode.Parse(output) as JsonObject)?["format"]?.GetValue<string>()
                ?? throw new DeviceUnreachableException($"qemu-img info {image} did not name a format: {output}");
        }
        catch (JsonException e)
        {
            throw new DeviceUnreachableException($"qemu-img info {image} did not answer JSON: {output}", e);
        }
    }

    /// <summary>Creates a qcow2 overlay whose backing file is <paramref name="image"/>: writes go to the overlay only.</summary>
    public static Task CreateOverlayAsync(string image, string format, string overlay, CancellationToken cancellationToken) =>
        RunAsync(["create", "-q", "-f", "qcow2", "-b", image, "-F", format, overlay], cancellationToken);

    private static async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("qemu-img did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DeviceUnreachableException(
                $"cannot run {Program}: {e.Message}. Install QEMU's tools (Debian: qemu-utils).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }

            var output = await stdout;
            var error = await stderr;
            if (process.ExitCode != 0)
            {
                throw new DeviceUnreachableException(
                    $"{Program} {string.Join(' ', args.Select(ShellQuoting.Quote))} failed (exit code {process.ExitCode}): {error.Trim()}");
            }

            return output;
        }
    }
}
