namespace DeviceTest.TestAdapter.Settings;

/// <summary>The settings read from runsettings, and every problem found (each a complete message).</summary>
internal sealed record SettingsReadResult(DeviceTestSettings Settings, IReadOnlyList<string> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}
