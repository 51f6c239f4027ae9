using System.Globalization;

namespace DeviceTest.Hardware.Yaml;

/// <summary>
/// Numbers the problems the shared YAML reader finds the same way in every file format: a format's code is its
/// range start plus the problem's number (specs: DT0000 + 12 = DT0012; devices files: DT1000 + 12 = DT1012).
/// </summary>
public static class YamlProblemCodes
{
    /// <summary>The problem's number within a format's range: 1-6 reading the file, 10-12 YAML, 20-26 keys and values.</summary>
    public static int Number(YamlProblem problem) => problem switch
    {
        YamlProblem.FileNotFound => 1,
        YamlProblem.IsDirectory => 2,
        YamlProblem.Unreadable => 3,
        YamlProblem.TooLarge => 4,
        YamlProblem.NotUtf8 => 5,
        YamlProblem.Empty => 6,
        YamlProblem.Syntax => 10,
        YamlProblem.MultipleDocuments => 11,
        YamlProblem.DuplicateKey => 12,
        YamlProblem.UnknownKey => 20,
        YamlProblem.WrongType => 21,
        YamlProblem.MissingKey => 22,
        YamlProblem.EmptyValue => 23,
        YamlProblem.NotANumber => 24,
        YamlProblem.OutOfRange => 25,
        YamlProblem.BadDuration => 26,
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
    };

    /// <summary>The code for <paramref name="problem"/> in the range starting at <paramref name="rangeStart"/> (e.g. 1000 → DT10xx).</summary>
    public static string Code(int rangeStart, YamlProblem problem) =>
        string.Create(CultureInfo.InvariantCulture, $"DT{rangeStart + Number(problem):D4}");
}
