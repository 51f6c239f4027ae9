using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using DeviceTest.Framework.Suites;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>
/// Finds <c>[DeviceSuite]</c> classes with the Framework's <see cref="SuiteDiscoverer"/> (source lines from the PDB;
/// paths a path-mapped build recorded, such as <c>/_/tests/MySuite.cs</c>, are resolved by <see cref="SourcePathResolver"/>).
/// A dll that does not reference DeviceTest.Framework is not loaded at all.
/// </summary>
internal sealed class FrameworkSuiteReader : ISuiteReader
{
    public IReadOnlyList<DiscoveredSuite> Read(string source, string? projectDirectory, IMessageLogger? logger)
    {
        if (!ReferencesFramework(source))
        {
            return [];
        }

        var result = SuiteDiscoverer.Discover(source);
        var paths = new SourcePathResolver(source, projectDirectory);
        foreach (var diagnostic in result.Diagnostics)
        {
            logger?.SendMessage(TestMessageLevel.Warning, (diagnostic with { SourceFile = paths.Resolve(diagnostic.SourceFile) }).ToString());
        }

        return result.Suites.Select(suite => new DiscoveredSuite
        {
            Descriptor = suite,
            Tests = suite.Tests.Select(test => new DiscoveredSuiteTest(test, TestCaseFactory.ForSuiteTest(source, test, paths.Resolve(test.SourceFile)))).ToList(),
        }).ToList();
    }

    private static bool ReferencesFramework(string source)
    {
        try
        {
            using var stream = File.OpenRead(source);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return false;
            }

            var metadata = pe.GetMetadataReader();
            return metadata.AssemblyReferences.Any(handle =>
                metadata.GetString(metadata.GetAssemblyReference(handle).Name) == "DeviceTest.Framework");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            return false;
        }
    }
}
