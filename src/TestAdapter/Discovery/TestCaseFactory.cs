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
    public static TestCase ForSpecTest(string source, string specSegment, string testSegment, TestSpec spec, SpecTest test, string specPath) =>
        ForSpecTest(source, IdPrefix(source), specSegment, testSegment, spec, test, specPath);

    /// <summary><see cref="ForSpecTest(string, string, string, TestSpec, SpecTest, string)"/> with <see cref="IdPrefix"/> of the source.</summary>
    public static TestCase ForSpecTest(
        string source, string idPrefix, string specSegment, string testSegment, TestSpec spec, SpecTest test, string specPath)
    {
        var fullyQualifiedName = $"{AdapterConstants.SpecNamespace}.{specSegment}.{testSegment}";
        var testCase = new TestCase(fullyQualifiedName, AdapterConstants.ExecutorUri, source)
        {
            DisplayName = test.Name,
            CodeFilePath = specPath,
            LineNumber = test.Position.Line,
            Id = HashId(idPrefix + fullyQualifiedName),
        };

        // One AddRange: each Add reads and rewrites the whole trait array of the test case.
        var traits = new Trait[2 + spec.RequiredTags.Count];
        traits[0] = new Trait(DeviceTestProperties.SpecTrait, spec.Name);
        traits[1] = new Trait(DeviceTestProperties.StepTrait, (test.StepIndex + 1).ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < spec.RequiredTags.Count; i++)
        {
            traits[2 + i] = new Trait(DeviceTestProperties.TagTrait, spec.RequiredTags[i]);
        }

        testCase.Traits.AddRange(traits);
        return testCase;
    }

    /// <summary>
    /// A C# suite test: FQN <c>Namespace.Type.Method</c> (the Framework's id; nested types joined by dots), display name
    /// from <c>[DeviceTest(Name)]</c> or the method, source link from the PDB, traits Suite and Tag.
    /// </summary>
    public static TestCase ForSuiteTest(string source, SuiteTestDescriptor test) => ForSuiteTest(source, test, test.SourceFile);

    /// <summary>
    /// <see cref="ForSuiteTest(string, SuiteTestDescriptor)"/> with the source file already resolved to this machine
    /// (<see cref="SourcePathResolver"/>).
    /// </summary>
    public static TestCase ForSuiteTest(string source, SuiteTestDescriptor test, string? sourceFile)
    {
        ArgumentNullException.ThrowIfNull(test);
        var testCase = new TestCase(test.Id, AdapterConstants.ExecutorUri, source)
        {
            DisplayName = test.DisplayName,
            CodeFilePath = sourceFile,
            LineNumber = test.SourceLine ?? -1,
            Id = StableId(source, test.Id),
        };
        testCase.Traits.AddRange(
            test.RequiredTags.Select(tag => new Trait(DeviceTestProperties.TagTrait, tag))
                .Prepend(new Trait(DeviceTestProperties.SuiteTrait, test.Suite.Name))
                .ToArray());

        return testCase;
    }

    /// <summary>
    /// VSTest's own id scheme (SHA-1 of executor URI + dll file name + FQN, UTF-16, first 16 bytes): stable across runs
    /// and machines because it holds no directory.
    /// </summary>
    public static Guid StableId(string source, string fullyQualifiedName) => HashId(IdPrefix(source) + fullyQualifiedName);

    /// <summary>What <see cref="StableId"/> hashes before the FQN: the executor URI and the dll's file name.</summary>
    public static string IdPrefix(string source) => AdapterConstants.ExecutorUriString + Path.GetFileName(source);

    private static Guid HashId(string key)
    {
        var byteCount = Encoding.Unicode.GetByteCount(key);
        var bytes = byteCount <= 1024 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.Unicode.GetBytes(key, bytes);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // SHA-1 is VSTest's id algorithm (EqtHash), not used for security.
        SHA1.HashData(bytes, hash);
#pragma warning restore CA5350
        return new Guid(hash[..16]);
    }
}
