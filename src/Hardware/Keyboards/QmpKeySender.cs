using System.Text.Json.Nodes;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Keyboards;

/// <summary>
/// Keys through QMP <c>send-key</c> to the board's keyboard (the PS/2 keyboard of x86-64's pc machine, the
/// virtio keyboard QEMU boards get on arm64). QEMU queues the events and delivers them in order.
/// </summary>
internal sealed class QmpKeySender(QemuMachine machine) : IKeySender
{
    /// <summary>How long QEMU holds the keys down (its default is 100 ms; a shorter hold types faster).</summary>
    private const int HoldMilliseconds = 30;

    public string Description => $"QEMU send-key ({machine.Name})";

    public async Task SendAsync(KeyCombo keys, CancellationToken cancellationToken)
    {
        var list = new JsonArray();
        foreach (var key in keys.Keys)
        {
            list.Add((JsonNode)new JsonObject { ["type"] = "qcode", ["data"] = key });
        }

        try
        {
            var qmp = machine.IsRunning
                ? machine.Qmp
                : throw new KeyboardException($"device '{machine.Name}': QEMU is not running, so no key can be sent; power the board on first");
            await qmp.ExecuteAsync("send-key", new JsonObject { ["keys"] = list, ["hold-time"] = HoldMilliseconds }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is QmpException or IOException or InvalidOperationException)
        {
            throw new KeyboardException($"device '{machine.Name}': QEMU did not take the key {keys}: {e.Message}", e);
        }
    }
}
