using System.Text.Json.Nodes;

namespace DeviceTest.Hardware.Qemu;

/// <summary>An asynchronous QMP event (e.g. RESET, SHUTDOWN, STOP, RESUME) as QEMU sent it.</summary>
/// <param name="Name">The event name, e.g. <c>RESET</c>.</param>
/// <param name="Data">The event's <c>data</c> member, or null.</param>
/// <param name="Timestamp">QEMU's timestamp of the event.</param>
public sealed record QmpEvent(string Name, JsonObject? Data, DateTimeOffset Timestamp);
