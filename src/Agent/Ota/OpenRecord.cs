namespace DeviceTest.Agent.Ota;

/// <summary>A test record started and not yet completed (see <see cref="RunState.Open"/>).</summary>
internal sealed class OpenRecord
{
    public const string TestKind = "test";
    public const string RebootKind = "reboot";

    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary><see cref="TestKind"/> or <see cref="RebootKind"/>.</summary>
    public string Kind { get; set; } = TestKind;

    /// <summary>For a reboot: the kernel's boot id when the reboot command ran (tells a reboot from an agent restart).</summary>
    public string? BootId { get; set; }

    public DateTimeOffset StartedAt { get; set; }
}
