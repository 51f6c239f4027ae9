using System.Text.Json.Nodes;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Screens;

/// <summary>
/// The display of a QEMU board through QMP <c>screendump</c> (PNG since QEMU 7.1; PPM, converted here, before). The
/// board's headless display (<c>-display none</c> with a VGA card on x86-64) is always there, so this needs no
/// configuration. Works while the guest is paused too.
/// </summary>
public sealed class QemuScreen : IScreen
{
    private readonly QemuMachine _machine;
    private bool _ppmOnly;

    public QemuScreen(QemuMachine machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        _machine = machine;
    }

    public string Description => $"QEMU screendump ({_machine.Name})";

    public async Task<byte[]> CaptureAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"devicetest-screendump-{Guid.NewGuid():N}");
        try
        {
            var qmp = _machine.IsRunning
                ? _machine.Qmp
                : throw new ScreenException($"device '{_machine.Name}': QEMU is not running, so there is no screen to capture; power the board on first");
            if (!_ppmOnly)
            {
                try
                {
                    await qmp.ExecuteAsync("screendump", new JsonObject { ["filename"] = file, ["format"] = "png" }, cancellationToken).ConfigureAwait(false);
                }
                catch (QmpException e) when (e.Message.Contains("format", StringComparison.OrdinalIgnoreCase))
                {
                    _ppmOnly = true; // QEMU before 7.1 writes PPM only
                }
            }

            if (_ppmOnly)
            {
                await qmp.ExecuteAsync("screendump", new JsonObject { ["filename"] = file }, cancellationToken).ConfigureAwait(false);
            }

            var data = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            return ScreenFrames.ToPng(data, $"the screendump of device '{_machine.Name}'");
        }
        catch (Exception e) when (e is QmpException or IOException or InvalidOperationException)
        {
            throw new ScreenException($"device '{_machine.Name}': QEMU could not take a screendump: {e.Message}", e);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
