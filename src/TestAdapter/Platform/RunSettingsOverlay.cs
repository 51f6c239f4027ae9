using System.Xml;
using System.Xml.Linq;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>
/// Puts <c>&lt;DeviceTest&gt;</c> keys given on the command line into the runsettings XML the executor reads, each
/// replacing the same key from <c>--settings</c>.
/// </summary>
internal static class RunSettingsOverlay
{
    public static string? Apply(string? settingsXml, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        if (values.Count == 0)
        {
            return settingsXml;
        }

        XDocument document;
        try
        {
            document = string.IsNullOrWhiteSpace(settingsXml) ? new XDocument(new XElement("RunSettings")) : XDocument.Parse(settingsXml);
        }
        catch (XmlException)
        {
            // The executor reports the broken XML (with the parser's message); nothing to add to it.
            return settingsXml;
        }

        var root = document.Root ?? throw new InvalidOperationException("a parsed runsettings document has a root");
        var section = root.Element(AdapterConstants.SettingsSection);
        if (section is null)
        {
            section = new XElement(AdapterConstants.SettingsSection);
            root.Add(section);
        }

        foreach (var (key, value) in values)
        {
            section.Elements(key).Remove();
            section.Add(new XElement(key, value));
        }

        return document.ToString(SaveOptions.DisableFormatting);
    }
}
