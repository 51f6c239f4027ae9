using DeviceTest.Hardware.Yaml;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// Loads spec files (<c>*.spec.yml</c>, fiotest's <c>test-spec.yml</c>): fiotest's format with DeviceTest's additions
/// (docs/specs.md). Never throws for mistakes in a file: every problem of the file is collected in one pass into
/// <see cref="SpecLoadResult.Diagnostics"/> with <c>file:line:col</c> and a code from <see cref="SpecErrorCodes"/>.
/// Files over 8 MiB are refused without being read.
/// Steps are read by the <see cref="StepKinds"/> given (default: <see cref="StepKinds.Default"/>).
/// </summary>
public static class SpecLoader
{
    private static readonly string[] SpecSuffixes = [".spec.yml", ".spec.yaml", ".yml", ".yaml"];

    /// <summary>Loads the spec at <paramref name="path"/> (named in diagnostics as given).</summary>
    public static SpecLoadResult Load(string path, StepKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var reader = NewReader(path);
        return Finish(reader, reader.ReadFile(), kinds);
    }

    /// <summary>Loads the spec at <paramref name="path"/>, reading the file asynchronously.</summary>
    public static Task<SpecLoadResult> LoadAsync(string path, CancellationToken cancellationToken) =>
        LoadAsync(path, null, cancellationToken);

    /// <summary>Loads the spec at <paramref name="path"/> with these step kinds, reading the file asynchronously.</summary>
    public static async Task<SpecLoadResult> LoadAsync(string path, StepKinds? kinds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var reader = NewReader(path);
        return Finish(reader, await reader.ReadFileAsync(cancellationToken).ConfigureAwait(false), kinds);
    }

    /// <summary>Loads a spec from YAML text; <paramref name="filePath"/> names it (diagnostics, default name).</summary>
    public static SpecLoadResult LoadText(string text, string filePath, StepKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(filePath);
        var reader = NewReader(filePath);
        return Finish(reader, reader.ReadText(text), kinds);
    }

    /// <summary>Loads several specs (e.g. for <c>devicetest validate</c>), one result per path, in order.</summary>
    public static IReadOnlyList<SpecLoadResult> LoadMany(IEnumerable<string> paths, StepKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Select(path => Load(path, kinds)).ToList();
    }

    /// <summary>The name of a spec without <c>name:</c>: the file name without <c>.spec.yml</c>/<c>.yml</c>/<c>.yaml</c>.</summary>
    public static string DefaultName(string filePath)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        var fileName = Path.GetFileName(filePath);
        foreach (var suffix in SpecSuffixes)
        {
            if (fileName.Length > suffix.Length && fileName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return fileName[..^suffix.Length];
            }
        }

        return fileName;
    }

    private static YamlDocumentReader NewReader(string path) => new(path, SpecErrorCodes.For);

    private static SpecLoadResult Finish(YamlDocumentReader reader, YamlNode? root, StepKinds? kinds)
    {
        var spec = root is null ? null : new SpecParser(reader, kinds ?? StepKinds.Default).Parse(root);
        var diagnostics = reader.Diagnostics
            .Select(d => new SpecDiagnostic(
                new SourcePosition(d.Position.File, d.Position.Line, d.Position.Column),
                d.IsError ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                d.Code,
                d.Message))
            .OrderBy(d => d.Position.Line)
            .ThenBy(d => d.Position.Column)
            .ToList();
        return new SpecLoadResult { FilePath = reader.FilePath, Spec = reader.HasErrors ? null : spec, Diagnostics = diagnostics };
    }
}
