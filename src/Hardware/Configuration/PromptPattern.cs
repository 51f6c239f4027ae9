using System.Text.RegularExpressions;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>Prompts in <c>shell</c> and <c>shell.login</c>: regular expressions, checked when the file is loaded.</summary>
internal static class PromptPattern
{
    /// <summary>The regular expression under <paramref name="key"/>; null when absent or after a DT1036 error.</summary>
    public static string? Read(YamlMappingReader map, string key)
    {
        var text = map.Text(key);
        if (text is null)
        {
            return null;
        }

        try
        {
            _ = new Regex(text, RegexOptions.None, TimeSpan.FromSeconds(1));
            return text;
        }
        catch (ArgumentException ex)
        {
            map.Document.Error(map.Get(key)!, DeviceFileErrorCodes.BadRegex,
                $"`{key}` is not a valid regular expression: {ex.Message}");
            return null;
        }
    }
}
