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

    /// <summary>True once the reporter has the start (so a restart does not send it again).</summary>
    public bool Started { get; set; }

    /// <summary>
    /// The completion, saved before it is handed to the reporter: after a restart exactly this is sent again (a
    /// repeated identical PUT is harmless), never a different verdict for a record that may already be complete.
    /// </summary>
    public Gateway.GatewayTestCompletion? Completion { get; set; }
}
