using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Suites;
using DeviceTest.Framework.Tests.Suites.Samples;

namespace DeviceTest.Framework.Tests.Suites;

[TestClass]
public sealed class SuiteDiscovererTests
{
    private const string SampleNamespace = "DeviceTest.Framework.Tests.Suites.Samples";

    [TestMethod]
    public void Lists_tests_in_declaration_order_with_their_names_and_timeouts()
    {
        var found = SuiteDiscoverer.Discover(typeof(OrderedSuite));

        Assert.IsEmpty(found.Diagnostics);
        var suite = found.Suites.Single();
        Assert.AreEqual($"{SampleNamespace}.OrderedSuite", suite.TypeName);
        Assert.AreEqual("ordered", suite.Name);
        CollectionAssert.AreEqual(
            new[] { "Zeta_runs_first", "Alpha_runs_second", "Middle_runs_third", "Expression_bodied" },
            suite.Tests.Select(t => t.MethodName).ToArray());
        Assert.AreEqual($"{SampleNamespace}.OrderedSuite.Zeta_runs_first", suite.Tests[0].Id);
        Assert.AreEqual("Zeta_runs_first", suite.Tests[0].DisplayName);
        Assert.AreEqual("alpha runs second", suite.Tests[1].DisplayName);
        Assert.AreEqual(TimeSpan.FromSeconds(30), suite.Tests[0].Timeout);
        Assert.IsNull(suite.Tests[1].Timeout);
        Assert.IsTrue(suite.Tests.All(t => t.Problem is null && t.SkipReason is null));
    }

    [TestMethod]
    public void Gives_each_test_its_source_file_and_the_line_of_its_body()
    {
        var suite = SuiteDiscoverer.Discover(typeof(OrderedSuite)).Suites.Single();

        // async (state machine), void, ValueTask and expression-bodied methods
        foreach (var test in suite.Tests)
        {
            Assert.AreEqual("SampleSuites.cs", Path.GetFileName(test.SourceFile), test.MethodName);
            Assert.AreEqual(SampleLines.BodyLine(test.MethodName), test.SourceLine, test.MethodName);
        }
    }

    [TestMethod]
    public void Adds_class_and_method_tags_and_reads_skip_reasons()
    {
        var suite = SuiteDiscoverer.Discover(typeof(SkippingSuite)).Suites.Single();

        CollectionAssert.AreEqual(new[] { "arm64" }, suite.RequiredTags.ToArray());
        var wifi = suite.Tests.Single(t => t.MethodName == "Needs_wifi");
        CollectionAssert.AreEqual(new[] { "arm64", "wifi", "bt" }, wifi.RequiredTags.ToArray());
        Assert.AreEqual("not today", suite.Tests.Single(t => t.MethodName == "Skipped_by_attribute").SkipReason);
    }

    [TestMethod]
    public void Diagnoses_invalid_test_methods_by_name_without_throwing()
    {
        var found = SuiteDiscoverer.Discover(typeof(InvalidSuite));

        string[] invalid = ["Static_test", "Generic_test", "Takes_a_number", "Returns_a_number", "Async_void", "Bad_timeout"];
        foreach (var name in invalid)
        {
            var diagnostic = found.Diagnostics.SingleOrDefault(d => d.MemberName == name);
            Assert.IsNotNull(diagnostic, $"no diagnostic for {name}");
            Assert.AreEqual(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Contains($"InvalidSuite.{name}", diagnostic.Message);
            Assert.Contains($"SampleSuites.cs:{SampleLines.BodyLine(name)}: error DT1", diagnostic.ToString());
        }

        Assert.IsFalse(found.Diagnostics.Any(d => d.MemberName == "Valid"));
        Assert.Contains("Int32 count", found.Diagnostics.Single(d => d.MemberName == "Takes_a_number").Message);
        Assert.Contains("\"soon\"", found.Diagnostics.Single(d => d.MemberName == "Bad_timeout").Message);
        Assert.Contains("async void", found.Diagnostics.Single(d => d.MemberName == "Async_void").Message);

        // Still listed, so users see them, each carrying its problem.
        var tests = found.Suites.Single().Tests;
        Assert.HasCount(invalid.Length + 1, tests);
        Assert.IsTrue(tests.Where(t => t.MethodName != "Valid").All(t => t.Problem is not null));
    }

    [TestMethod]
    public void Lists_inherited_tests_first_and_ignores_abstract_bases()
    {
        var suite = SuiteDiscoverer.Discover(typeof(DerivedSuite)).Suites.Single();

        CollectionAssert.AreEqual(new[] { "Inherited_first", "Own_second" }, suite.Tests.Select(t => t.MethodName).ToArray());
        Assert.AreEqual($"{SampleNamespace}.DerivedSuite.Inherited_first", suite.Tests[0].Id);
    }

    [TestMethod]
    public void Discovers_an_assembly_by_path_without_creating_any_suite()
    {
        var path = typeof(OrderedSuite).Assembly.Location;

        // ThrowingConstructorSuite throws when created: discovery must not create it.
        var found = SuiteDiscoverer.Discover(path);

        var names = found.Suites.Select(s => s.TypeName).ToList();
        CollectionAssert.Contains(names, $"{SampleNamespace}.OrderedSuite");
        CollectionAssert.Contains(names, $"{SampleNamespace}.ThrowingConstructorSuite");
        CollectionAssert.DoesNotContain(names, $"{SampleNamespace}.BaseSuite");
        CollectionAssert.AreEqual(names.Order(StringComparer.Ordinal).ToList(), names);
        var zeta = found.FindTest($"{SampleNamespace}.OrderedSuite.Zeta_runs_first");
        Assert.IsNotNull(zeta);
        Assert.AreEqual(SampleLines.BodyLine("Zeta_runs_first"), zeta.SourceLine);
        Assert.IsNull(found.FindTest($"{SampleNamespace}.OrderedSuite.Missing"));
        Assert.IsTrue(found.Diagnostics.Any(d => d.TypeName == $"{SampleNamespace}.InvalidSuite"));
        var forgot = found.Diagnostics.Single(d => d.TypeName == $"{SampleNamespace}.ForgotTheSuiteAttribute");
        Assert.AreEqual("Never_runs", forgot.MemberName);
        Assert.Contains("no [DeviceSuite]", forgot.Message);
    }

    [TestMethod]
    public void Reports_an_unloadable_assembly_as_a_diagnostic()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"devicetest-missing-{Guid.NewGuid():N}.dll");

        var found = SuiteDiscoverer.Discover(missing);

        Assert.IsEmpty(found.Suites);
        var diagnostic = found.Diagnostics.Single();
        Assert.AreEqual("DT1000", diagnostic.Code);
        Assert.Contains(missing, diagnostic.ToString());
    }

    [TestMethod]
    public void Gives_null_source_locations_without_a_pdb()
    {
        // The suites' dll loaded from bytes: no location, so no PDB to find.
        var assembly = System.Reflection.Assembly.Load(File.ReadAllBytes(typeof(OrderedSuite).Assembly.Location));

        var found = SuiteDiscoverer.Discover(assembly);

        var zeta = found.Tests.Single(t => t.Id == $"{SampleNamespace}.OrderedSuite.Zeta_runs_first");
        Assert.IsNull(zeta.SourceFile);
        Assert.IsNull(zeta.SourceLine);
    }
}
