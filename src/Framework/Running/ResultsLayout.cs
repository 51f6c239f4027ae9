using System.Globalization;
using System.Text;

namespace DeviceTest.Framework.Running;

/// <summary>Names of the per-test results folders: <c>&lt;spec&gt;/&lt;NN&gt;-&lt;test&gt;[/&lt;iteration&gt;]</c>.</summary>
internal static class ResultsLayout
{
    private const int MaxNameLength = 80;

    public static string TestFolder(string root, string specName, int ordinal, string uniqueName, int iteration, bool isRepeated)
    {
        var folder = Path.Combine(
            root,
            Sanitize(specName),
            string.Create(CultureInfo.InvariantCulture, $"{ordinal:D2}-{Sanitize(uniqueName)}"));
        return isRepeated ? Path.Combine(folder, iteration.ToString(CultureInfo.InvariantCulture)) : folder;
    }

    /// <summary>Letters, digits, '.', '_' and '-' stay; anything else becomes '_'.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, MaxNameLength));
        foreach (var c in name)
        {
            if (builder.Length == MaxNameLength)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        var text = builder.ToString().Trim('.');
        return text.Length == 0 ? "_" : text;
    }
}
