using DeviceTest.Framework.Specs;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>
/// Finds the YAML tests of a test dll: reads the manifest the build wrote next to it, loads each spec once, and
/// builds one test case per test. Problems in a spec are reported as warnings with file:line:col; the other specs
/// are still discovered.
/// </summary>
internal sealed class SpecDiscovery(ISpecReader reader)
{
    public (IReadOnlyList<DiscoveredSpec> Specs, string? ProjectDirectory) Discover(string source, IMessageLogger? logger)
    {
        var manifest = SpecManifest.TryRead(source, out var manifestError);
        if (manifestError is not null)
        {
            logger?.SendMessage(TestMessageLevel.Warning, manifestError);
        }

        if (manifest is null)
        {
            return ([], null);
        }

        var specs = new List<DiscoveredSpec>(manifest.SpecPaths.Count);
        var specNames = new NameScope();
        foreach (var path in manifest.SpecPaths)
        {
            var spec = Load(path, logger);
            if (spec is not null)
            {
                specs.Add(Build(source, spec, path, specNames));
            }
        }

        return (specs, manifest.ProjectDirectory);
    }

    /// <summary>The test cases of one loaded spec, named within <paramref name="specNames"/>.</summary>
    public static DiscoveredSpec Build(string source, TestSpec spec, string path, NameScope specNames)
    {
        var classSegment = specNames.Take(spec.Name);
        var testNames = new NameScope();
        var tests = new List<DiscoveredTest>();
        foreach (var test in spec.AllTests)
        {
            var testCase = TestCaseFactory.ForSpecTest(source, classSegment, testNames.Take(test.UniqueName), spec, test, path);
            tests.Add(new DiscoveredTest(test, testCase));
        }

        return new DiscoveredSpec { Spec = spec, FilePath = path, ClassSegment = classSegment, Tests = tests };
    }

    private TestSpec? Load(string path, IMessageLogger? logger)
    {
        if (!File.Exists(path))
        {
            logger?.SendMessage(
                TestMessageLevel.Warning,
                $"{path}: the spec listed by the build does not exist (DeviceTestSpec item). Rebuild the test project or fix the item.");
            return null;
        }

        SpecLoadResult result;
        try
        {
            result = reader.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger?.SendMessage(TestMessageLevel.Warning, $"{path}: cannot read the spec: {e.Message}");
            return null;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            logger?.SendMessage(TestMessageLevel.Warning, diagnostic.ToString());
        }

        if (result.HasErrors || result.Spec is null)
        {
            logger?.SendMessage(TestMessageLevel.Warning, $"{path}: the spec has errors; its tests are left out until they are fixed.");
            return null;
        }

        return result.Spec;
    }
}
