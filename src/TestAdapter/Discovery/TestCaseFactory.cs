using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Suites;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>Builds VSTest test cases for YAML tests and C# suite tests.</summary>
internal static class TestCaseFactory
{
    /// <summary>
    /// A YAML test: FQN <c>DeviceTest.Specs.&lt;spec&gt;.&lt;test&gt;</c>, display name = the YAML name, source link =
    /// the spec file at the test's line, traits Spec, Step (1-based) and Tag (the spec's required tags).
    /// </summary>
    public static TestCase ForSpecTest(string source, string specSegment, string testSegment, TestSpec spec, SpecTest test, string specPath)
    {
        var fullyQualifiedName = $"{AdapterConstants.SpecNamespace}.{specSegment}.{testSegment}";
        var testCase = new TestCase(fullyQualifiedName, AdapterConstants.ExecutorUri, source)
        {
            DisplayName = test.Name,
            CodeFilePath = specPath,
            LineNumber = test.Position.Line,
            Id = StableId(source, fullyQualifiedName),
        };
        testCase.Traits.Add(DeviceTestProperties.SpecTrait, spec.Name);
        testCase.Traits.Add(DeviceTestProperties.StepTrait, (test.StepIndex + 1).ToString(CultureInfo.InvariantCulture));
        foreach (var tag in spec.RequiredTags)
        {
            testCase.Traits.Add(DeviceTestProperties.TagTrait, tag);
        }

        return testCase;
    }

    /// <summary>
    /// A C# suite test: FQN <c>Namespace.Type.Method</c> (the Framework's id; nested types joined by dots), display name
    /// from <c>[DeviceTest(Name)]</c> or the method, source link from the PDB, traits Suite and Tag.
    /// </summary>
    public static TestCase ForSuiteTest(string source, SuiteTestDescriptor test)
    {
        var testCase = new TestCase(test.Id, AdapterConstants.ExecutorUri, source)
        {
            DisplayName = test.DisplayName,
            CodeFilePath = test.SourceFile,
            LineNumber = test.SourceLine ?? -1,
            Id = StableId(source, test.Id),
        };
        testCase.Traits.Add(DeviceTestProperties.SuiteTrait, test.Suite.Name);
        foreach (var tag in test.RequiredTags)
        {
            testCase.Traits.Add(DeviceTestProperties.TagTrait, tag);
        }

        return testCase;
    }

    /// <summary>
    /// VSTest's own id scheme (SHA-1 of executor URI + dll file name + FQN, UTF-16, first 16 bytes): stable across runs
    /// and machines because it holds no directory.
    /// </summary>
    public static Guid StableId(string source, string fullyQualifiedName)
    {
        var key = AdapterConstants.ExecutorUriString + Path.GetFileName(source) + fullyQualifiedName;
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // SHA-1 is VSTest's id algorithm (EqtHash), not used for security.
        SHA1.HashData(Encoding.Unicode.GetBytes(key), hash);
#pragma warning restore CA5350
        return new Guid(hash[..16]);
    }
}
