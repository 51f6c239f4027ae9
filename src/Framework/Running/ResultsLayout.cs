using System.Globalization;
using System.Text;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Names of the results folders: <c>&lt;spec&gt;/&lt;NN&gt;-&lt;test&gt;[/&lt;iteration&gt;]</c> per test execution,
/// <c>&lt;spec&gt;/step&lt;NN&gt;-&lt;name&gt;</c> for the files of a step that reports like a test.
/// </summary>
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

    /// <summary>The folder of a step's own files; <paramref name="stepIndex"/> is 0-based, the folder's number 1-based.</summary>
    public static string StepFolder(string root, string specName, int stepIndex, string name) =>
        Path.Combine(root, Sanitize(specName), string.Create(CultureInfo.InvariantCulture, $"step{stepIndex + 1:D2}-{Sanitize(name)}"));

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
