using System.Runtime.ExceptionServices;
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

        // Reading and parsing the files is most of discovery's time: the specs are loaded side by side, then
        // reported and named in the manifest's order (messages and names are the same as one after the other).
        var paths = manifest.SpecPaths;
        var loaded = new LoadedSpec[paths.Count];
        ForEach(paths.Count, i => loaded[i] = Read(paths[i]));

        var named = new List<(TestSpec Spec, string Path, string ClassSegment)>(paths.Count);
        var specNames = new NameScope();
        for (var i = 0; i < paths.Count; i++)
        {
            var spec = Report(paths[i], loaded[i], logger);
            if (spec is not null)
            {
                named.Add((spec, paths[i], specNames.Take(spec.Name)));
            }
        }

        var specs = new DiscoveredSpec[named.Count];
        ForEach(named.Count, i => specs[i] = BuildTests(source, named[i].Spec, named[i].Path, named[i].ClassSegment));
        return (specs, manifest.ProjectDirectory);
    }

    /// <summary>The test cases of one loaded spec, named within <paramref name="specNames"/>.</summary>
    public static DiscoveredSpec Build(string source, TestSpec spec, string path, NameScope specNames)
    {
        ArgumentNullException.ThrowIfNull(specNames);
        return BuildTests(source, spec, path, specNames.Take(spec.Name));
    }

    private static DiscoveredSpec BuildTests(string source, TestSpec spec, string path, string classSegment)
    {
        var testNames = new NameScope();
        var idPrefix = TestCaseFactory.IdPrefix(source);
        var tests = new List<DiscoveredTest>();
        foreach (var test in spec.AllTests)
        {
            var testCase = TestCaseFactory.ForSpecTest(source, idPrefix, classSegment, testNames.Take(test.UniqueName), spec, test, path);
            tests.Add(new DiscoveredTest(test, testCase));
        }

        return new DiscoveredSpec { Spec = spec, FilePath = path, ClassSegment = classSegment, Tests = tests };
    }

    /// <summary>Runs <paramref name="body"/> for 0..count-1, on the thread pool when there is more than one.</summary>
    private static void ForEach(int count, Action<int> body)
    {
        if (count < 2 || Environment.ProcessorCount < 2)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        try
        {
            Parallel.For(0, count, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // As if run one after the other: the first failure, with its own stack.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private LoadedSpec Read(string path)
    {
        if (!File.Exists(path))
        {
            return new LoadedSpec(null, null, Missing: true);
        }

        try
        {
            return new LoadedSpec(reader.Load(path), null, Missing: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new LoadedSpec(null, e, Missing: false);
        }
    }

    private static TestSpec? Report(string path, LoadedSpec loaded, IMessageLogger? logger)
    {
        if (loaded.Missing)
        {
            logger?.SendMessage(
                TestMessageLevel.Warning,
                $"{path}: the spec listed by the build does not exist (DeviceTestSpec item). Rebuild the test project or fix the item.");
            return null;
        }

        if (loaded.Error is not null)
        {
            logger?.SendMessage(TestMessageLevel.Warning, $"{path}: cannot read the spec: {loaded.Error.Message}");
            return null;
        }

        var result = loaded.Result!;
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

    /// <summary>One spec file read: its result, the I/O error that stopped it, or that it does not exist.</summary>
    private sealed record LoadedSpec(SpecLoadResult? Result, Exception? Error, bool Missing);
}
