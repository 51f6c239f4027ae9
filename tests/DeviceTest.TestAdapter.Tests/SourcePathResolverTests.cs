using DeviceTest.TestAdapter.Discovery;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// Source links of C# suite tests built with path maps (<c>-p:ContinuousIntegrationBuild=true</c>, <c>-p:PathMap=...</c>):
/// the PDB's <c>/_/...</c> paths are turned back into the files on this machine.
/// </summary>
[TestClass]
public sealed class SourcePathResolverTests
{
    private string _root = string.Empty;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateTree()
    {
        // <root>/repo/tests/MySuite/{NetSuite.cs, Sub/Deep.cs, bin/Debug/net10.0/MySuite.dll}, <root>/repo/shared/Common.cs
        _root = Directory.CreateTempSubdirectory("devicetest-pathmap-").FullName;
        foreach (var file in new[] { "repo/tests/MySuite/NetSuite.cs", "repo/tests/MySuite/Sub/Deep.cs", "repo/shared/Common.cs" })
        {
            Write(file);
        }

        Directory.CreateDirectory(Path.Combine(_root, "repo/tests/MySuite/bin/Debug/net10.0"));
    }

    [TestCleanup]
    public void DeleteTree() => Directory.Delete(_root, recursive: true);

    private string Repo => Path.Combine(_root, "repo");

    private string Dll => Path.Combine(Repo, "tests/MySuite/bin/Debug/net10.0/MySuite.dll");

    private string NetSuite => Path.Combine(Repo, "tests", "MySuite", "NetSuite.cs");

    [TestMethod]
    [DataRow("/_/tests/MySuite/NetSuite.cs")]
    [DataRow("/_/tests\\MySuite\\NetSuite.cs")]
    [DataRow("/_1/tests/MySuite/NetSuite.cs")]
    [DataRow("\\_\\tests\\MySuite\\NetSuite.cs")]
    public void A_mapped_source_root_is_found_above_the_test_dll(string pdbPath)
    {
        var resolver = new SourcePathResolver(Dll, projectDirectory: null);

        Assert.AreEqual(NetSuite, resolver.Resolve(pdbPath));
    }

    [TestMethod]
    [DataRow("/build/agent/work/s/tests/MySuite/NetSuite.cs")]
    [DataRow("C:\\agent\\_work\\1\\s\\tests\\MySuite\\NetSuite.cs")]
    [DataRow("/src/NetSuite.cs")]
    public void An_explicit_path_map_or_another_machines_path_is_found_by_its_longest_existing_rest(string pdbPath)
    {
        var resolver = new SourcePathResolver(Dll, projectDirectory: null);

        Assert.AreEqual(NetSuite, resolver.Resolve(pdbPath));
    }

    [TestMethod]
    public void A_dll_copied_out_of_the_tree_is_resolved_through_the_manifests_project_directory()
    {
        var elsewhere = Path.Combine(_root, "artifacts", "out", "MySuite.dll");
        var resolver = new SourcePathResolver(elsewhere, projectDirectory: Path.Combine(Repo, "tests", "MySuite"));

        Assert.AreEqual(NetSuite, resolver.Resolve("/_/tests/MySuite/NetSuite.cs"));
        Assert.AreEqual(Path.Combine(Repo, "shared", "Common.cs"), resolver.Resolve("/_/shared/Common.cs"));
    }

    [TestMethod]
    public void Existing_relative_and_unresolvable_paths_are_kept_as_the_pdb_has_them()
    {
        var resolver = new SourcePathResolver(Dll, projectDirectory: null);

        Assert.AreEqual(NetSuite, resolver.Resolve(NetSuite));
        Assert.AreEqual("/_/tests/Nowhere.cs", resolver.Resolve("/_/tests/Nowhere.cs"));
        Assert.AreEqual("/somewhere/else/Missing.cs", resolver.Resolve("/somewhere/else/Missing.cs"));
        Assert.AreEqual("tests/MySuite/NetSuite.cs", resolver.Resolve("tests/MySuite/NetSuite.cs"));
        Assert.IsNull(resolver.Resolve(null));
        Assert.AreEqual(string.Empty, resolver.Resolve(string.Empty));
    }

    [TestMethod]
    public void The_nearest_ancestor_wins()
    {
        // A copy of the file nearer the dll (the project folder) than the repository root.
        Write("repo/tests/MySuite/tests/MySuite/NetSuite.cs");
        var resolver = new SourcePathResolver(Dll, projectDirectory: null);

        Assert.AreEqual(Path.Combine(Repo, "tests/MySuite/tests/MySuite/NetSuite.cs"), resolver.Resolve("/_/tests/MySuite/NetSuite.cs"));
    }

    [TestMethod]
    public void Ten_thousand_tests_in_a_hundred_files_cost_about_one_file_check_per_file()
    {
        for (var i = 0; i < 100; i++)
        {
            Write($"repo/tests/MySuite/Suites/S{i:D3}.cs");
        }

        var checks = 0;
        var resolver = new SourcePathResolver(Dll, projectDirectory: null, path => { checks++; return File.Exists(path); });
        var pdbPaths = Enumerable.Range(0, 10_000).Select(test => $"/_/tests/MySuite/Suites/S{test % 100:D3}.cs").ToArray();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var resolved = pdbPaths.Select(resolver.Resolve).ToArray();
        watch.Stop();

        TestContext.WriteLine($"10,000 source links from 100 mapped files: {checks} file checks, {watch.Elapsed.TotalMilliseconds:F1} ms");
        for (var test = 0; test < 10_000; test++)
        {
            Assert.AreEqual(Path.Combine(Repo, "tests/MySuite/Suites", $"S{test % 100:D3}.cs"), resolved[test]);
        }

        // Each file: is the PDB path there, is it under the root found before. Plus one walk up to find the root.
        var depth = Dll.Count(c => c == Path.DirectorySeparatorChar);
        Assert.IsLessThanOrEqualTo((2 * 100) + depth, checks, $"{checks} file checks");
    }

    private void Write(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "// source\n");
    }
}
