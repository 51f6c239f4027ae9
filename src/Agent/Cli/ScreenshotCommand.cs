using System.CommandLine;
using DeviceTest.Hardware.Screens;

namespace DeviceTest.Agent.Cli;

/// <summary><c>devicetest screenshot --device D -o shot.png</c>: one frame of a device's screen, e.g. to make a reference.</summary>
internal static class ScreenshotCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var device = new Option<string?>("--device", "-d") { Description = "The device (default: local, which has no screen)." };
        var devices = new Option<string?>("--devices") { Description = "The devices file (default: $DEVICETEST_DEVICES, then ./devices.yml)." };
        var file = new Option<string>("--output", "-o") { Description = "The PNG file to write.", Required = true };
        var command = new Command("screenshot", "Capture one frame of a device's screen into a PNG file (a reference for `screen:` steps).")
        {
            device, devices, file,
        };
        command.SetAction(async (parse, _) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            using var cancellation = new CancellationScope(error);
            return await DeviceAccess.RunAsync(parse.GetValue(devices), parse.GetValue(device), error, async (target, token) =>
            {
                if (target.Screen is not { } screen)
                {
                    return await DeviceAccess.MissingAsync(error, target, "screen", "screen");
                }

                byte[] frame;
                try
                {
                    frame = await screen.CaptureAsync(token);
                }
                catch (ScreenException e)
                {
                    await error.WriteLineAsync($"devicetest: {e.Message}");
                    return ExitCodes.DeviceUnreachable;
                }

                try
                {
                    if (Path.GetDirectoryName(path) is { Length: > 0 } folder)
                    {
                        Directory.CreateDirectory(folder);
                    }

                    await File.WriteAllBytesAsync(path, frame, token);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"devicetest: cannot write {path}: {e.Message}");
                    return ExitCodes.BadInput;
                }

                var (width, height) = ScreenImage.ReadSize(frame, path);
                await output.WriteLineAsync($"devicetest: wrote {path} ({width}x{height}) from {screen.Description}");
                return ExitCodes.Success;
            }, cancellation.Token);
        });
        return command;
    }
}
