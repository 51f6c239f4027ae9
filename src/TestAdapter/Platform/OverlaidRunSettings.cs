using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>The bridge's runsettings with the command line's <c>&lt;DeviceTest&gt;</c> keys put in.</summary>
internal sealed class OverlaidRunSettings(IRunSettings? inner, string? settingsXml) : IRunSettings
{
    public string? SettingsXml { get; } = settingsXml;

    public ISettingsProvider? GetSettings(string? settingsName) => inner?.GetSettings(settingsName);
}
